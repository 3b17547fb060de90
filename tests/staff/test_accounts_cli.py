"""`flask staff add|list|disable|mailbox` through Flask's CLI runner, on the real database."""
from sqlalchemy import select

from webapp.referrals.models import StructureMailbox
from webapp.staff.models import StaffUser


def test_staff_add_reads_the_password_from_stdin_and_hashes_it(app, runner):
    result = runner.invoke(args=["staff", "add", "Agent@CDAD.example", "--structure", "cdad-90"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.extensions["db_sessionmaker"]() as db:
        user = db.scalar(select(StaffUser))
    assert user.email == "agent@cdad.example" and user.structure_id == "cdad-90" and not user.is_admin
    assert user.password_hash.startswith("$argon2id$") and "long enough" not in user.password_hash
    client = app.test_client()
    r = client.post("/staff/connexion", data={"email": "agent@cdad.example", "password": "a long enough password"})
    assert r.status_code == 302


def test_staff_add_refuses_bad_input(runner):
    bad = [
        (["staff", "add", "a@b.example", "--structure", "nope"], "a long enough password\n", "unknown structure"),
        (["staff", "add", "a@b.example", "--structure", "cdad-90"], "short\n", "at least 12"),
        (["staff", "add", "not-an-address", "--structure", "cdad-90"], "a long enough password\n", "e-mail"),
    ]
    for args, stdin, message in bad:
        result = runner.invoke(args=args, input=stdin)
        assert result.exit_code != 0 and message in result.output, result.output
    runner.invoke(args=["staff", "add", "a@b.example", "--structure", "cdad-90"], input="a long enough password\n")
    result = runner.invoke(args=["staff", "add", "A@b.example", "--structure", "fsl-90"],
                           input="a long enough password\n")
    assert result.exit_code != 0 and "exists" in result.output


def test_staff_list_and_disable(runner):
    runner.invoke(args=["staff", "add", "admin@cdad.example", "--structure", "cdad-90", "--admin"],
                  input="a long enough password\n")
    runner.invoke(args=["staff", "add", "agent@fsl.example", "--structure", "fsl-90"],
                  input="a long enough password\n")
    assert runner.invoke(args=["staff", "disable", "agent@fsl.example"]).exit_code == 0
    lines = runner.invoke(args=["staff", "list"]).output.strip().splitlines()
    assert lines == ["admin@cdad.example\tcdad-90\tadmin", "agent@fsl.example\tfsl-90\tdisabled"]
    assert runner.invoke(args=["staff", "disable", "ghost@x.example"]).exit_code != 0


def test_staff_mailbox_sets_the_structure_address(app, runner):
    assert runner.invoke(args=["staff", "mailbox", "cdad-90", "Accueil@CDAD.example"]).exit_code == 0
    with app.extensions["db_sessionmaker"]() as db:
        assert db.get(StructureMailbox, "cdad-90").email == "accueil@cdad.example"
    assert runner.invoke(args=["staff", "mailbox", "nope", "x@y.example"]).exit_code != 0


def test_staff_audit_lists_who_read_a_case(app, runner):
    from tests.referrals.referral_helpers import login, make_staff, referral_ids, submit

    reference = submit(app.test_client(), structures=("cdad-90",))
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    login(client, "agent@cdad.example")
    client.get(f"/staff/demandes/{referral_ids(app, reference)['cdad-90']}")
    lines = runner.invoke(args=["staff", "audit", "--reference", reference.lower()]).output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].split("\t")[1:4] == ["agent@cdad.example", "view", reference]
    by_agent = runner.invoke(args=["staff", "audit", "--email", "agent@cdad.example"]).output
    assert "\tlogin\t" in by_agent and "\tview\t" in by_agent
