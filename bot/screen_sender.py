"""Show a dialogue screen in a chat: edit the message that carried the button, or send a new one."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup, Message

from bot.delivery import Delivery


async def show_screen(delivery: Delivery, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None,
                      edit_message_id: int | None) -> int | None:
    """The id of the message now showing the screen, or None when nothing could be shown."""
    if edit_message_id is not None:
        return await delivery.edit_screen(chat_id, edit_message_id, text, keyboard)
    message = await delivery.send_screen(chat_id, text, keyboard)
    return message.message_id if isinstance(message, Message) else None
