"""Builds the Bolt AsyncApp: verified requests only, services in every listener's context, listeners by kind."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler, async_default_handlers
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import BotConfig
from bot.home import HomeRespond, is_home_click
from bot.identity import who
from bot.listeners import register
from bot.respond import NoReply, PooledRespond
from bot.services import Services

RATE_LIMIT_RETRIES = 2  # a Web API call Slack answers 429 is sent again after its Retry-After, this many times



def create_app(config: BotConfig, services: Services) -> AsyncApp:
    # Slack's default handlers (a dropped connection is retried) plus rate limits: chat.update under a burst of votes
    # answers 429 with Retry-After, and waiting that long beats a message left showing old counts. Bolt copies the
    # handlers into each request's client.
    retry_handlers = [*async_default_handlers(), AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]
    client = AsyncWebClient(token=config.bot_token, base_url=config.api_url or AsyncWebClient.BASE_URL,
                            retry_handlers=retry_handlers)
    app = AsyncApp(client=client, signing_secret=config.signing_secret)  # Bolt verifies every request's signature

    @app.middleware
    async def provide_services(context, body, next):
        context["services"] = services
        if context.response_url:
            if services.http is not None:  # opened by the web app (HTTP and Socket Mode); else Bolt's own respond
                context["respond"] = PooledRespond(services.http, context.response_url, services.store)
        elif is_home_click(body):  # no response_url in the Home tab: answers republish the Home instead
            context["respond"] = HomeRespond(services, context.client, *who(context))
        else:  # Slack always sends one with commands and message buttons: this request did not come from Slack
            context["respond"] = NoReply()
        await next()

    register(app)
    return app
