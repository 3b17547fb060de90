"""Routes of the chat page: the no-JavaScript form, the JSON endpoint, the follow-ups."""
from __future__ import annotations

import functools
import re

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from webapp import json_codec
from webapp.chat import bp, conversation
from webapp.chat.rasa_client import BotUnavailable, send
from webapp.content import french_terms


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale else "fr"


def _check(chat: dict, text: str) -> tuple[str | None, int]:
    """The error message for this message, and its HTTP status; (None, 200) when fine."""
    if not text.strip():
        return _("Écrivez votre message avant de l'envoyer."), 400
    if len(text) > conversation.max_length():
        return _("Votre message est trop long : %(max)d caractères au plus. Raccourcissez-le, "
                 "ou racontez votre situation en plusieurs messages.", max=conversation.max_length()), 400
    if conversation.rate_limited(chat):
        return _("Vous avez envoyé beaucoup de messages en peu de temps. Attendez une minute "
                 "puis réessayez."), 429
    return None, 200


def _incoming(chat: dict) -> tuple[str, str, str | None]:
    """(what the log shows, what Rasa receives, the language of what the log
    shows when it is a button's title, else None) for this POST."""
    data = request.get_json(silent=True) if request.is_json else request.form
    if not hasattr(data, "get"):
        # No JSON, or JSON that is not an object ([1], "x"): no message.
        data = {}
    button = data.get("button")
    if button not in (None, ""):
        # The client names a button of the bot's last turn by its index: it
        # cannot make the bot receive any other payload.
        buttons = conversation.last_buttons(chat)
        try:
            chosen = buttons[int(button)]
        except (ValueError, IndexError, TypeError, OverflowError):   # OverflowError: Infinity
            return "", "", None
        return chosen["title"], chosen["payload"], chosen.get("lang")
    text = str(data.get("message") or "")
    # A typed "/intent" would reach Rasa as a command, not as words.
    return text, text.strip().lstrip("/"), None


def _exchange(chat: dict, shown: str, sent: str, shown_lang: str | None = None) -> list[dict]:
    """Send one message and log both sides; raises BotUnavailable."""
    conversation.count_sent(chat)
    try:
        messages = send(chat["id"], chat["rasa"], sent, _lang())
    finally:
        conversation.save(chat)
    lang = _lang()
    chat["log"].append({"who": "user", "text": shown, "lang": shown_lang or lang})
    added = conversation.add_bot_messages(chat, messages, lang)
    conversation.save(chat)
    return added


# The labels of the log and of the buttons, per language: the widget's
# endpoint needs them on every message, and a translation looked up from a
# template went through Jinja's call machinery and Flask-Babel's lookups
# three times for each.
_LABELS: dict[str, dict[str, str]] = {}


def chat_labels() -> dict[str, str]:
    """Who said each entry ("Vous :", "Assistant :") and the buttons' legend, in the request's language."""
    lang = _lang()
    labels = _LABELS.get(lang)
    if labels is None:
        labels = _LABELS[lang] = {"user": _("Vous :"), "bot": _("Assistant :"),
                                  "buttons": _("Réponses proposées"), "lang": lang}
    return labels


def _page(chat: dict, status: int = 200, error: str | None = None, draft: str = "",
          unavailable: bool = False):
    return render_template(
        "chat/index.html", log=chat["log"], answer_start=conversation.answer_start(chat["log"]),
        buttons=conversation.last_buttons(chat),
        labels=chat_labels(), error=error, draft=draft, unavailable=unavailable,
        max_length=conversation.max_length(),
        # How long Rasa keeps an idle conversation: its SQL store by `flask
        # retention conversations`, its in-memory store by itself
        # (bot/addons/idle_tracker_store.py).
        retention_hours=int(current_app.config["CHAT_RETENTION_HOURS"]),
    ), status


@bp.get("")
def index():
    return _page(conversation.state())


@bp.post("")
def post_message():
    """No-JavaScript mode: a plain form post, then back to the page (PRG)."""
    chat = conversation.state()
    shown, sent, shown_lang = _incoming(chat)
    error, status = _check(chat, shown)
    if error:
        # The whole text comes back, so nothing typed is lost.
        return _page(chat, status=status, error=error, draft=shown)
    try:
        _exchange(chat, shown, sent, shown_lang)
    except BotUnavailable as exc:
        current_app.logger.warning("chat: bot unavailable: %s", exc)
        return _page(chat, unavailable=True, draft=shown)
    return redirect(url_for("chat.index", _anchor="dernier-message"), code=303)


@bp.post("/api/message")
def api_message():
    """The widget's endpoint: JSON in, the bot's new messages out."""
    chat = conversation.state()
    shown, sent, shown_lang = _incoming(chat)
    error, status = _check(chat, shown)
    if error:
        return _json({"errors": [{"field": "message", "message": error}]}, status)
    try:
        added = _exchange(chat, shown, sent, shown_lang)
    except BotUnavailable as exc:
        current_app.logger.warning("chat: bot unavailable: %s", exc)
        return _json({
            "errors": [{"field": "bot", "message": _("L'assistant ne répond pas pour le moment.")}],
            "unavailable": True,
            "fallback_html": render_template("chat/_unavailable.html"),
        }, 503)
    new_entries = [{"who": "user", "text": shown, "lang": shown_lang or _lang()}] + added
    turn, labels = _turn_macros(), chat_labels()
    return _json({
        "messages": new_entries,
        "html": str(turn.messages(new_entries, labels, 1 if added else 0)),
        "buttons_html": str(turn.buttons(conversation.last_buttons(chat), labels)),
    })


def _json(payload: dict, status: int = 200):
    # The widget's answers go through the chat's JSON codec (webapp/json_codec.py).
    return current_app.response_class(json_codec.dumps_bytes(payload), status=status,
                                      mimetype="application/json")


def _turn_macros():
    """The macros of chat/_turn.html, which the page imports too: the same HTML for both.

    Called from here they run without the page's context (language switcher,
    footer numbers, CSRF token…), the template signals of render_template, or
    a new template context per fragment: the two fragments were a fifth of
    the site's instructions per message (bench/chat_site_instructions.py).
    """
    return current_app.jinja_env.get_template("chat/_turn.html").module


@bp.post("/recommencer")
def restart():
    conversation.restart(_lang())
    return redirect(url_for("chat.index"), code=303)


@bp.get("/suite/recontact")
def follow_referral():
    """"Être recontacté·e": the referral form reads the triage answers from the session."""
    return redirect(url_for("referrals.form"))


@bp.get("/suite/situation")
def follow_details():
    """"Voir ma situation détaillée": the questionnaire's result page for the chat's answers.

    The answers are re-evaluated with today's rules rather than replayed from
    the bot, so the page follows the same engine as the questionnaire. A
    private landlord's plan needs answers the chat does not ask for (who
    lets the home, guarantees…): the landlord questionnaire takes over.
    """

    from webapp.questionnaire.steps import answers_from_request
    from webapp.questionnaire.tenant import SESSION_KEY, render_triage_result
    from webapp.triage.api import get_triage_directory
    from webapp.triage.situation import parse_situation

    answers = session.get(conversation.TRIAGE_SESSION_KEY)
    if not isinstance(answers, dict):
        return redirect(url_for("chat.index"))
    if answers.get("role") == "landlord" and answers.get("landlord_kind") in (None, "private"):
        return _continue_landlord_questionnaire(answers)
    from webapp.referrals.prefill import server_today

    situation, errors = parse_situation(dict(answers, lang=_lang()), get_triage_directory(), server_today())
    if errors:
        current_app.logger.warning("chat: stored triage answers rejected: %s", errors)
        return redirect(url_for("chat.index"))
    # "Modifier mes réponses" on that page opens the tenant questionnaire:
    # with the chat's answers in it, not empty.
    if answers.get("role") == "tenant":
        session[SESSION_KEY] = answers_from_request(answers)
    return render_triage_result(situation, _lang())


def _continue_landlord_questionnaire(answers: dict):
    """Pre-fill the landlord questionnaire with the chat's answers; go to its first unanswered step."""
    from webapp.directory import get_directory
    from webapp.landlord import prefill, steps

    prefill.apply(answers, get_directory(current_app))
    first = steps.first_incomplete()
    if first is None:
        return redirect(url_for("landlord.plan_page"))
    return redirect(url_for("landlord.step", number=first, depuis="assistant"))


# A path of this site written in a bot text ("/annuaire/mes-contacts").
_SITE_PATH = re.compile(r"(?<![\w/.:&;-])(/[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*)(?![\w/])")
_PHONE = re.compile(r"(?<![\d])(0 ?\d{3} ?\d{3} ?\d{3}|0\d(?: ?\d{2}){4}|3039|34 14)(?![\d])")
# The police's 17 ("au 17", "Police : 17"), never a date's day or an hour:
# "Date notée : 17 novembre 2026" and "jusqu'au 17 décembre" were links that
# called the police.
_EMERGENCY = re.compile(r"(?:(?<=\b(?:au|on) )|(?<=: ))17\b(?![\s\u202f\u00a0]*(?:[^\W\d_]|/|-\d))")


def _is_page(path: str, url_map) -> bool:
    """True when the path is a page of this site (GET), not just any text with a slash."""
    try:
        url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        # NotFound, MethodNotAllowed, and the redirect of a missing trailing slash.
        return False
    return True


@bp.app_template_filter("chat_text")
def chat_text(value: str, lang: str | None = None) -> Markup:
    """The bot's text as HTML: escaped; phone numbers made callable (tel:
    links) and the site's pages it names made links; and its lists given
    their structure for screen readers: "• " lines a list, "1. " lines (with
    their indented lines) a numbered list, the rest paragraphs."""
    return Markup(_blocks(value or "", current_app.url_map, lang or _lang()))


# Where a list item of the bot's answers starts: "• " or "2. ".
_BULLET = re.compile(r"^•\s+")
_NUMBERED = re.compile(r"^\d+\.\s+")


# The bot says the same few hundred sentences again and again: each is
# escaped, searched (three patterns) and laid out once per process and
# language, not per message.
@functools.lru_cache(maxsize=1024)
def _blocks(value: str, url_map, lang: str) -> str:
    blocks: list[tuple[str, list[list[str]]]] = []   # (p | ul | ol, items, each its lines)
    for line in value.split("\n"):
        text = line.strip()
        if not text:
            blocks.append(("", []))
            continue
        kind = "ul" if _BULLET.match(text) else "ol" if _NUMBERED.match(text) and line == line.lstrip() else None
        last = blocks[-1] if blocks else ("", [])
        if kind is None and line != line.lstrip() and last[0] == "ol" and last[1]:
            last[1][-1].append(text)          # an indented line of the numbered item above
        elif kind is None:
            if last[0] == "p" and last[1]:
                last[1][0].append(text)       # lines of one paragraph
            else:
                blocks.append(("p", [[text]]))
        else:
            item = (_BULLET if kind == "ul" else _NUMBERED).sub("", text, count=1)
            if last[0] == kind:
                last[1].append([item])
            else:
                blocks.append((kind, [[item]]))
    html = []
    for kind, items in blocks:
        if kind == "p":
            html.append("<p>" + "<br>".join(_linked(t, url_map, lang) for t in items[0]) + "</p>")
        elif kind:
            lis = "".join("<li>" + "<br>".join(_linked(t, url_map, lang) for t in lines) + "</li>"
                          for lines in items)
            html.append(f"<{kind}>{lis}</{kind}>")
    # The English answers quote the French names of the papers, as the pages do.
    return french_terms.mark_in("".join(html), lang)


def _page_title(path: str, lang: str) -> str | None:
    """The title of a content page (/infos/<slug>): a link named by it reads
    better than its path."""
    if not path.startswith("/infos/"):
        return None
    from webapp.content import get_content

    page, _fallback = get_content().get(lang, path[len("/infos/"):])
    return page.title if page is not None else None


def _linked(value: str, url_map, lang: str) -> str:
    escaped = str(escape(value))

    def tel(match: re.Match) -> str:
        number = match.group(0)
        return f'<a class="tel" href="tel:{number.replace(" ", "")}">{number}</a>'

    def page(match: re.Match) -> str:
        path = match.group(1)
        if not _is_page(path, url_map):
            return path
        return f'<a href="{path}">{escape(_page_title(path, lang) or path)}</a>'

    escaped = _SITE_PATH.sub(page, escaped)
    escaped = _PHONE.sub(tel, escaped)
    return _EMERGENCY.sub(tel, escaped)
