"""What the audit lead reads around personal links (single-use web links, one response each): how
many to issue, the captions of the links' CSV and of their printable QR sheet, the sheet's title, and
why there are none while the web page is not set up.

    survey card ──[Personal links]──> how many? ──[20 | 50 | 100 | 200]──> links.csv + QR sheet (PDF)
"""

from __future__ import annotations

from conversations.lead_summary import LINK_COUNTS, LINKS, OPEN, action
from conversations.screens import Button, Screen
from locales import translator

COUNT_POSITION = "lead-links"


def link_count_screen(survey_id: int, organization: str, language: str) -> Screen:
    _ = translator(language).gettext
    text = _("Personal links for {organization}: how many? Each link admits one response. You get them as a "
             "CSV file and as a printable sheet of QR codes, numbered alike.").format(organization=organization)
    counts = [Button(str(count), action(f"{LINKS}{count}", survey_id)) for count in LINK_COUNTS]
    return Screen(text, [counts, [Button(_("Back to the survey"), action(OPEN, survey_id))]], COUNT_POSITION)


def no_web_page_text(language: str) -> str:
    return translator(language).gettext(
        "Personal links open the survey's web page, which this bot does not serve (WEB_BASE_URL is not set). "
        "Please ask whoever runs the bot.")


def links_csv_caption(count: int, language: str) -> str:
    return translator(language).gettext(
        "{count} personal links (number, link). The bot keeps no copy of the links themselves: keep this "
        "file.").format(count=count)


def sheet_caption(language: str) -> str:
    return translator(language).gettext("The same links as QR codes to print and cut, numbered as in the CSV.")


def sheet_needs_font_text(language: str) -> str:
    return translator(language).gettext(
        "The QR sheet is not available: the server has no font with Chinese characters. Ask the operator to "
        "install one (e.g. fonts-wqy-microhei); the CSV above holds every link.")


def sheet_title(organization: str, language: str) -> str:
    return translator(language).gettext("{organization} · personal survey links, one response each").format(
        organization=organization)
