"""movielike's Slack bot: a Bolt AsyncApp served by aiohttp (or Socket Mode), using only what `engine` exports.

Modules: cli (`movielike-bot`), config (its settings), app (the Bolt app and its middleware), server (the HTTP
service, health probes, model hot reload), listeners/ (commands, actions, events), blocks (every Block Kit
message), suggest (the one-film-at-a-time rating loop), state + store (each user's ratings and the bot's
bookkeeping in Redis), respond (replies over one keep-alive session), services (what listeners are handed).
"""
