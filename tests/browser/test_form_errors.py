"""A form sent empty comes back with accessible error messages, on every POST form of the site.

The form is sent without the browser's own validation (`required`…) and
without the scripts that may enhance it, as for a visitor whose browser does
neither: the server's error page is what must be accessible. Each field marked aria-invalid must point, through
aria-describedby (its own or its fieldset's), to a visible message.
"""
from __future__ import annotations

from .axe_check import check_axe

# For each aria-invalid control, the texts of the elements its description points to.
INVALID_FIELDS = """() => Array.from(document.querySelectorAll('main [aria-invalid="true"]')).map(el => {
    const ids = [];
    for (const owner of [el, el.closest('fieldset')]) {
        if (owner && owner.getAttribute('aria-describedby')) {
            ids.push(...owner.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean));
        }
    }
    const texts = ids.map(id => document.getElementById(id)).filter(Boolean)
                     .map(node => node.innerText.trim()).filter(Boolean);
    return {name: el.name || el.id || el.tagName, ids: ids, texts: texts};
})"""


SUBMIT_WITHOUT_SCRIPTS = """form => {
    const button = form.querySelector('button[type="submit"], input[type="submit"], button:not([type])');
    if (button && button.name) {
        const carried = document.createElement('input');
        carried.type = 'hidden';
        carried.name = button.name;
        carried.value = button.value;
        form.appendChild(carried);
    }
    form.submit();
}"""


def test_empty_form_submission_shows_accessible_errors(page, post_form):
    site_page, index = post_form
    page.goto(site_page.path)
    form = page.locator('main form[method="post" i]').nth(index)
    with page.expect_navigation() as navigation:
        # form.submit() skips the submit event, so a script that enhances the
        # form (fetch instead of navigation) stays out of the way and the
        # server-side path is what gets checked. It also skips the browser's
        # own validation. The first submit button's name/value goes along.
        form.evaluate(SUBMIT_WITHOUT_SCRIPTS)
    status = navigation.value.status
    assert status < 500, f"sending the form of {site_page.path} empty gave {status}"
    check_axe(page)
    unexplained = [field for field in page.evaluate(INVALID_FIELDS) if not field["texts"]]
    assert not unexplained, f"invalid fields without an error message: {unexplained}"
    summary = page.locator("main .error-summary")
    # Every form with several fields lists its errors in a summary; the chat's
    # one box and the staff sign-in show theirs by the field.
    if page.evaluate(INVALID_FIELDS) and site_page.path not in ("/chat", "/staff/connexion"):
        assert summary.count() == 1, f"{site_page.path}: invalid fields but no error summary"
    if summary.count():
        # Without any script: the summary takes focus on load (autofocus), the
        # title says there is an error, and each of its links leads to a field.
        assert page.evaluate("document.activeElement.classList.contains('error-summary')"), \
            f"{site_page.path}: focus is on {page.evaluate('document.activeElement.tagName')}"
        assert page.title().startswith(("Erreur :", "Error:")), page.title()
        targets = summary.locator("a[href^='#']").evaluate_all("links => links.map(a => a.hash.slice(1))")
        missing = [t for t in targets if not page.evaluate("id => !!document.getElementById(id)", t)]
        assert not missing, f"{site_page.path}: error summary links to missing ids {missing}"
    assert page.problems.all() == [], page.problems.all()
