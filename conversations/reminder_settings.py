"""/reminders: the audit lead sees a survey's reminder policy and changes it with buttons.

Pure: the shell passes the current settings and a tapped action, stores what comes back and shows
the screen. Flow::

    /reminders ──> SETTINGS ──first:<h> | every:<h> | max:<n> | on | off | digest:on | digest:off──> SETTINGS
                   SETTINGS ──close──> a one-line confirmation, no buttons (/reminders opens it again)

Actions: "first:12|24|48", "every:24|48|72", "max:0..3", "on" (max back to the default when it
was 0), "off" (max 0), "digest:on|off" (only for a lead who has a lead row), "close".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from conversations.screens import Button, Screen
from locales import translator

FIRST_AFTER_CHOICES = (12, 24, 48)
EVERY_CHOICES = (24, 48, 72)
MAX_CHOICES = (0, 1, 2, 3)
DEFAULT_MAX_REMINDERS = 2
SETTINGS_POSITION = "reminders"
CLOSE_ACTION = "close"
MARK = "✓ "


@dataclass(frozen=True)
class ReminderSettings:
    """The survey's policy as the lead steers it; `digest` None: this user has no digest to switch."""

    first_after_hours: int
    every_hours: int
    max_reminders: int
    window_start_hour: int
    window_end_hour: int
    digest: bool | None


def apply_action(settings: ReminderSettings, action: str) -> ReminderSettings | None:
    """The settings after a tapped `action`; None for an unknown or malformed action."""
    name, _, argument = action.partition(":")
    number = int(argument) if argument.isascii() and argument.isdigit() else None
    if name == "first" and number in FIRST_AFTER_CHOICES:
        return replace(settings, first_after_hours=number)
    if name == "every" and number in EVERY_CHOICES:
        return replace(settings, every_hours=number)
    if name == "max" and number in MAX_CHOICES:
        return replace(settings, max_reminders=number)
    if action == "on":
        return replace(settings, max_reminders=settings.max_reminders or DEFAULT_MAX_REMINDERS)
    if action == "off":
        return replace(settings, max_reminders=0)
    if name == "digest" and argument in ("on", "off") and settings.digest is not None:
        return replace(settings, digest=argument == "on")
    return None


def settings_screen(language: str, organization: str, settings: ReminderSettings, note: str = "") -> Screen:
    _ = translator(language).gettext
    enabled = settings.max_reminders > 0
    lines = [note] if note else []
    lines.append(_("Reminders for {organization}").format(organization=organization))
    if enabled:
        lines.append(_("Customers who started but did not finish get a reminder {first} hours after they "
                       "were last active, then every {every} hours, at most {most} times, between "
                       "{start}:00 and {end}:00 survey time.").format(
            first=settings.first_after_hours, every=settings.every_hours, most=settings.max_reminders,
            start=f"{settings.window_start_hour:02d}", end=f"{settings.window_end_hour:02d}"))
    else:
        lines.append(_("Reminders are off: customers who did not finish get no reminder."))
    if settings.digest is not None:
        lines.append(_("Your daily summary at 18:00 survey time: on") if settings.digest
                     else _("Your daily summary at 18:00 survey time: off"))
    lines.append(_("Tap to change:"))
    buttons = [
        [_choice(_("First after {hours} h").format(hours=h) if h == FIRST_AFTER_CHOICES[0]
                 else _("{hours} h").format(hours=h), f"first:{h}", h == settings.first_after_hours)
         for h in FIRST_AFTER_CHOICES],
        [_choice(_("Every {hours} h").format(hours=h) if h == EVERY_CHOICES[0]
                 else _("{hours} h").format(hours=h), f"every:{h}", h == settings.every_hours)
         for h in EVERY_CHOICES],
        [_choice(_("At most {count}").format(count=n) if n == MAX_CHOICES[0] else str(n), f"max:{n}",
                 n == settings.max_reminders) for n in MAX_CHOICES],
        [Button(_("Turn reminders off"), "off") if enabled else Button(_("Turn reminders on"), "on")],
    ]
    if settings.digest is not None:
        buttons.append([Button(_("Daily summary off"), "digest:off") if settings.digest
                        else Button(_("Daily summary on"), "digest:on")])
    buttons.append([Button(_("Done"), CLOSE_ACTION)])
    return Screen(text="\n\n".join(lines), buttons=buttons, position=SETTINGS_POSITION)


def closed_screen(language: str, organization: str) -> Screen:
    _ = translator(language).gettext
    text = _("Reminder settings for {organization} saved. Send /reminders to change them again.").format(
        organization=organization)
    return Screen(text=text, buttons=[], position=SETTINGS_POSITION)


def _choice(label: str, action: str, chosen: bool) -> Button:
    return Button(MARK + label if chosen else label, action)
