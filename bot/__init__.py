"""movielike's Slack bot: a Bolt AsyncApp served by aiohttp; it calls `engine` only."""
