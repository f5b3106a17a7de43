"""Messages the bot cannot read (a voice message, a sticker, a photo…): what was sent, in one sentence
the person's own language can say, so that the reply names it before it says what to do.

A kind is the Bot API's name of the message field that carries it, so each shell tells it by looking
at the message it was given (bot/services/context.py `message_kind`).
"""

from __future__ import annotations

from enum import StrEnum

from locales import N_, translator


class MessageKind(StrEnum):
    """In the order a shell checks a message's fields: an animation also fills `document`, a venue
    also fills `location`, so the narrower field comes first."""

    TEXT = "text"
    VOICE = "voice"
    VIDEO_NOTE = "video_note"
    STICKER = "sticker"
    PHOTO = "photo"
    VIDEO = "video"
    ANIMATION = "animation"
    AUDIO = "audio"
    DOCUMENT = "document"
    LOCATION = "location"
    CONTACT = "contact"
    POLL = "poll"
    OTHER = "other"


_UNREADABLE = {
    MessageKind.VOICE: N_("We cannot listen to voice messages."),
    MessageKind.VIDEO_NOTE: N_("We cannot watch video messages."),
    MessageKind.STICKER: N_("We cannot read stickers."),
    MessageKind.PHOTO: N_("We cannot read photos."),
    MessageKind.VIDEO: N_("We cannot watch videos."),
    MessageKind.ANIMATION: N_("We cannot read GIFs."),
    MessageKind.AUDIO: N_("We cannot listen to audio files."),
    MessageKind.DOCUMENT: N_("We cannot read files."),
    MessageKind.LOCATION: N_("We cannot use a location here."),
    MessageKind.CONTACT: N_("We cannot use a contact here, and we do not need one: your answers are anonymous."),
    MessageKind.POLL: N_("We cannot answer polls."),
}


def unreadable_text(language: str, kind: MessageKind) -> str:
    """One sentence naming what was sent ("We cannot read stickers."); any other kind, or a message
    without text: a sentence about messages of this kind."""
    message = _UNREADABLE.get(kind, N_("We cannot read this kind of message."))
    return translator(language).gettext(message)


def unreadable_for_a_visitor(language: str, kind: MessageKind) -> str:
    """To someone who is in no survey: what they sent, and how to take part."""
    return translator(language).gettext(
        "{unreadable} To take part in a survey, please open the invite link or scan the QR code you received."
    ).format(unreadable=unreadable_text(language, kind))


def unreadable_for_a_lead(language: str, kind: MessageKind, drafting: bool) -> str:
    """To an audit lead: what they sent, and what to send instead (`drafting`: in /newsurvey)."""
    _ = translator(language).gettext
    template = (_("{unreadable} Please type your answer as a text message, or tap a button.") if drafting
                else _("{unreadable} Send /help to see what you can do."))
    return template.format(unreadable=unreadable_text(language, kind))
