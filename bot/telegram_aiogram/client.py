"""The aiogram Bot, pointed at Telegram or at the Bot API server in TELEGRAM_API_URL, sending its
calls as JSON bodies."""

from __future__ import annotations

from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetUpdates, SendMessage, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import InputFile
from aiohttp import ClientError

from bot.adapters.settings import Settings

JSON_BODY = {"Content-Type": "application/json"}


class EditScreenText(EditMessageText):
    """editMessageText showing a dialogue screen in place. Its answer, the edited message, is never
    read, so it is not parsed into a Message (reading the answer was a third of an edit's CPU under
    load, bench/load.py)."""

    __returning__ = Any


# aiogram parametrizes Response[...] for every API answer, and pydantic caches those classes only
# weakly: each rebuild costs about 12 ms, a fifth of the bot's CPU under load (bench/load.py --profile).
# Holding the classes of the calls made for every update keeps them cached.
_EVERY_UPDATE_RESPONSES = tuple(Response[method.__returning__] for method in (
    GetUpdates, AnswerCallbackQuery, EditScreenText, SendMessage))


class JsonSession(AiohttpSession):
    """aiogram's session, but a call without files goes as one JSON body instead of a form.

    aiogram encodes every field of a form as JSON text and then URL-quotes it character by character:
    for a screen with its keyboard that was a fifth of the CPU of a Bot API call (bench/bot_api.py).
    Calls that upload files (documents, charts) still go as multipart forms.
    """

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType],
                           timeout: int | None = None) -> TelegramType:
        files: dict[str, InputFile] = {}
        # prepare_value drops None values: leaving them out of the dump spares it the walk over every
        # unset field of every button (a third of an edit's preparation)
        fields = self.prepare_value(method.model_dump(warnings=False, exclude_none=True), bot=bot,
                                    files=files, _dumps_json=False)
        if files:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(url, data=self.json_dumps(fields), headers=JSON_BODY,
                                    timeout=self.timeout if timeout is None else timeout) as answer:
                content = await answer.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            raise TelegramNetworkError(method=method, message=f"{type(error).__name__}: {error}") from error
        response = self.check_response(bot=bot, method=method, status_code=answer.status, content=content)
        return cast(TelegramType, response.result)


def create_bot(settings: Settings) -> Bot:
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    api: Any = PRODUCTION
    if settings.telegram_api_url:
        api = TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/"))
    return Bot(settings.bot_token.get_secret_value(), session=JsonSession(api=api))
