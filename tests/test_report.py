"""The evaluation report (issue 15, points 4 and 5): the summary a CIO reads in one minute, each
工程表 with the evaluated quarter marked and every line drawn by its status (colour and a pattern
and a word), the division's comments, each KPI with its chart and numbers, the open data, and the
links from the plan's own pages.  The site without progress is exactly as before (the golden
files of test_golden.py).  All progress here is fictional (架空の例)."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest

from conftest import without_phrase_breaks, write_tree
from dgdocs.load import load
from dgdocs.progress.summary import counts_by_appendix, counts_by_chapter, kpi_standing
from dgdocs.render import timeline
from dgdocs.render.data import render_data
from dgdocs.render.html import render_site as _render_site
from dgdocs.render.pdf import print_jobs
from dgdocs.render.progressdata import ACTUAL_FIELDS, PROGRESS_FIELDS, actual_records, line_records
from dgdocs.render.report import evaluation_report, latest_links
from dgdocs.render.roadmap import make_grid
from progress_helpers import EXTRA
from sitescan import scan


def render_site(doc, **kw) -> dict[str, bytes]:
    """The site's files, its pages without their phrase breaks (the tests look for texts)."""
    return {name: without_phrase_breaks(data.decode("utf-8")).encode("utf-8") if name.endswith(".html") else data
            for name, data in _render_site(doc, **kw).items()}

# MINI + EXTRA: row r1 (task 改修 2021Q1–2022Q2, milestone 運用開始 2022-10), row r2 without a
# schedule, KPI k-rate (100% by 2021), and the evaluation 2021Q1 (改修 実施中).  Two more quarters:
LATER = """
-- progress/2021Q2.yaml --
as_of: 2021Q2
evaluated_on: 2021-10-20
body: 総務省CIO・PMO（架空の例）
note: 架空の例（試験用。計画の実績ではない）
rows:
  - id: r1
    tasks:
      - label: 改修
        status: 遅延
        comment: '=HYPERLINK("x") <b>部品</b>の調達が遅れている（架空）'
        division: 架空局第一課
  - id: r2
    status: 実施中
    comment: 要件を整理中（架空）
    division: 架空局第二課
kpis:
  - id: k-rate
    actuals:
      - {period: 2020, value: 45.5, unit: '%', kind: 速報値, source: 架空の調査}
-- progress/2022Q3.yaml --
as_of: 2022Q3
note: 架空の例（試験用。計画の実績ではない）
rows:
  - id: r2
    status: 完了
    division: 架空局第二課
kpis:
  - id: k-rate
    actuals:
      - {period: 2020, value: 46.0, unit: '%', kind: 確定値, source: 架空の調査}
      - {period: 2021, value: 71.2, unit: '%', kind: 速報値, source: 架空の調査}
"""


@pytest.fixture
def content(make_content):
    root = make_content(EXTRA)
    write_tree(root, LATER)
    return root


@pytest.fixture
def doc3(content):
    return load(content)


def quarter(doc, q):
    return next(e for e in doc.progress if e.as_of.value.text == q)


def text_of(html: bytes | str) -> str:
    s = html.decode("utf-8") if isinstance(html, bytes) else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", s))


# ------------------------------------------------------------------ no progress: nothing changes

def test_without_progress_there_is_no_report_page_pdf_or_data(doc):
    assert not doc.progress
    site = render_site(doc)
    assert not [p for p in site if "hyoka" in p] and "hyoka" not in site["index.html"].decode("utf-8")
    assert not [j.name for j in print_jobs(doc) if j.name.startswith("hyoka-")]
    assert not {"progress.csv", "progress.json", "kpi-actuals.csv"} & set(render_data(doc))
    assert latest_links(doc) == ({}, {}, {})


# ------------------------------------------------------------------ the summary

def test_the_summary_counts_every_line_by_status_per_appendix_and_chapter(doc3):
    ev = quarter(doc3, "2021Q2")
    report = evaluation_report(doc3, ev)
    assert report.totals["遅延"] == 1 and report.totals["実施中"] == 1 and report.totals["未報告"] == 1
    assert sum(report.totals.values()) == 3  # 改修, 運用開始, r2
    assert report.appendices[0].counts == counts_by_appendix(doc3, ev)[1]
    assert [(cid, sum(c.values())) for cid, _, c in report.chapters] == [("work", 3)]
    assert report.chapters[0][2] == counts_by_chapter(doc3, ev)["work"]
    page = text_of(render_site(doc3)["hyoka/2021Q2.html"])
    assert "3件の工程・時期、実施中 1、遅延 1、未報告 1。" in page
    assert "KPI：1件の指標、判定できない 1。" in page  # 100% by 2021, no baseline: no path to judge against


def test_the_summary_says_what_changed_since_the_previous_evaluation(doc3):
    report = evaluation_report(doc3, quarter(doc3, "2021Q2"))
    assert report.previous.as_of.value.text == "2021Q1"
    assert [(c.item.id, c.before, c.after) for c in report.changes] == [("r1/t1", "実施中", "遅延"), ("r2", None, "実施中")]
    assert report.transitions == [("実施中", "遅延", 1), ("未報告", "実施中", 1)]
    assert [(c.kpi.id, c.actual.value.value, c.before) for c in report.actual_changes] == [("k-rate", 45.5, None)]
    later = evaluation_report(doc3, quarter(doc3, "2022Q3"))
    assert [(str(c.actual.value.value), c.actual.kind.value, c.before.kind.value if c.before else None)
            for c in later.actual_changes] == [("46.0", "確定値", "速報値"), ("71.2", "速報値", None)]
    first = text_of(render_site(doc3)["hyoka/2021Q1.html"])
    assert "最初の評価のため、比べる評価はない。" in first


def test_a_line_past_its_end_that_nobody_reported_is_delayed_and_the_report_says_it_was_derived(doc3):
    report = evaluation_report(doc3, quarter(doc3, "2022Q3"))
    line = next(l for a in report.appendices for r in a.rows for l in r.lines if l.item.id == "r1/t1")
    assert line.status.status == "遅延" and line.status.derived and line.word == "遅延（期限超過）"
    assert line in report.attention
    page = text_of(render_site(doc3)["hyoka/2022Q3.html"])
    assert "遅延のうち 1件は、計画の終わりを過ぎたのに完了・遅延などの報告がなく、遅延とみなしたもの。" in page


# ------------------------------------------------------------------ the 工程表

def test_each_line_shows_the_plans_period_its_status_and_the_divisions_comment_escaped(doc3):
    html = render_site(doc3)["hyoka/2021Q2.html"].decode("utf-8")
    row = html[html.index('id="row-r1"'):html.index("</tbody>", html.index('id="row-r1"'))]
    assert "2021年度第1四半期（4〜6月）〜2022年度第2四半期（7〜9月）" in row
    assert '<span class="st st-遅延">遅延</span>' in row and "前回：実施中" in row
    assert '=HYPERLINK("x") &lt;b&gt;部品&lt;/b&gt;の調達が遅れている（架空）' in row  # the phrase marks write a quote as it is
    assert "<b>" not in row and "架空局第一課" in row


def test_the_evaluated_quarter_is_a_today_line_at_the_end_of_the_quarter(doc3):
    report = evaluation_report(doc3, quarter(doc3, "2021Q2"))
    grid_x = timeline.today_x(make_grid(doc3.plan), quarter(doc3, "2021Q2").as_of.value)
    assert grid_x == (1 + 4 + 2) * timeline.U  # 計画期間前, 2020年度 Q1–Q4, 2021年度 Q1–Q2
    x = timeline._t(grid_x)
    for line in (l for a in report.appendices for r in a.rows for l in r.lines):
        assert f'<line x1="{x}" y1="0" x2="{x}" y2="18" stroke="{timeline.TODAY}"' in line.svg
    assert "評価時点 2021Q2" in report.axis and f'x1="{x}"' in report.axis


def test_every_status_differs_from_every_other_by_more_than_colour():
    """A status must read in black and white: two statuses never share the same pattern (the
    outline's dashes, hatching, strike-through, no fill), and each has its word."""
    patterns = {s: (st.dash, st.hatch, st.strike, st.fill == "none", st.fill == st.stroke)
                for s, st in timeline.STYLES.items()}
    assert set(patterns) == set(timeline.STYLES) == {"未着手", "実施中", "完了", "遅延", "中止", "見直し", "未報告"}
    assert len(set(patterns.values())) == len(patterns), patterns
    assert all(st.word for st in timeline.STYLES.values())


def test_a_revised_task_draws_the_plan_thin_and_the_new_period_in_its_style(make_content):
    content = make_content(EXTRA.replace("status: 実施中, comment: 設計中（架空）",
                                         "status: 見直し, new_from: 2021Q3, new_to: 2022Q4, comment: 見直した（架空）"))
    doc = load(content)
    report = evaluation_report(doc, doc.progress[0])
    line = report.appendices[0].rows[0].lines[0]
    assert line.revised == "2021年度第3四半期（10〜12月）〜2022年度第4四半期（1〜3月）"
    assert 'stroke="#8a8a8a" stroke-width="1.6"' in line.svg  # the plan's period, thin and grey
    assert 'stroke-dasharray="1.5 1.5"' in line.svg  # 見直し: dotted
    assert "見直し後：2021年度第3四半期" in line.title


# ------------------------------------------------------------------ the KPIs

def test_each_kpi_has_its_chart_with_a_text_alternative_and_its_numbers_as_a_table(doc3):
    html = render_site(doc3)["hyoka/2022Q3.html"].decode("utf-8")
    block = html[html.index('id="kpi-k-rate"'):html.index("</section>", html.index('id="kpi-k-rate"'))]
    page = scan(block)
    svg = page.find("svg")[0]
    assert svg.attrs["role"] == "img" and svg.attrs["aria-labelledby"] == "chart-k-rate-title chart-k-rate-desc"
    assert "単位：%" in block and "評価時点 2022Q3" in block
    assert "実績：2020年度 46.0%（確定値）、2021年度 71.2%（速報値）" in block  # the <desc>
    rows = [[c for c in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", tr)] for tr in re.findall(r"<tr>(.*?)</tr>", block)]
    assert ["実績", "2021年度", "71.2", "%", "速報値", "架空の調査"] in rows
    assert "<script" not in html


def test_kpi_standing_words_on_track_behind_and_not_reported(progress_doc):
    ev = progress_doc.progress[-1]
    report = evaluation_report(progress_doc, ev)
    assert {b.standing.standing for b in report.kpis} <= {"達成", "順調", "遅れ", "未報告", "判定できない"}
    assert [b.standing for b in report.kpis] == [kpi_standing(progress_doc, k, ev) for k in progress_doc.kpis()]
    assert report.kpi_counts["未報告"] > 0


# ------------------------------------------------------------------ the plan's pages link to it

def test_a_kpi_row_links_to_its_actuals_and_an_appendix_row_to_its_latest_evaluation(doc3):
    site = render_site(doc3)
    kpis = site["kpis.html"].decode("utf-8")
    assert ('<a href="hyoka/2022Q3.html#kpi-k-rate">実績：71.2%（2021年度・速報値）（2022年度第3四半期（10〜12月）の評価）</a>'
            in kpis)
    appendix = site["beppyo-1.html"].decode("utf-8")
    assert 'href="hyoka/2022Q3.html#row-r1">進捗（2022年度第3四半期（10〜12月））：遅延1・未報告1</a>' in appendix
    assert 'href="hyoka/2022Q3.html#row-r2">進捗（2022年度第3四半期（10〜12月））：完了</a>' in appendix
    assert 'href="hyoka/2022Q3.html#beppyo-1"' in appendix
    report_ids = set(scan(site["hyoka/2022Q3.html"]).ids())
    assert {"kpi-k-rate", "row-r1", "row-r2", "beppyo-1"} <= report_ids
    assert '<a href="hyoka/index.html">四半期評価（計画の進捗）</a>' in site["index.html"].decode("utf-8")


def test_the_index_of_evaluations_lists_them_newest_first_with_their_pdfs(doc3):
    index = render_site(doc3)["hyoka/index.html"].decode("utf-8")
    assert [m for m in re.findall(r'<a href="(\d{4}Q\d)\.html">', index)] == ["2022Q3", "2021Q2", "2021Q1"]
    assert all(f'href="../../pdf/hyoka-{q}.pdf"' in index for q in ("2022Q3", "2021Q2", "2021Q1"))  # outside: links of a page in hyoka/


# ------------------------------------------------------------------ the PDF's print job

def test_an_old_reports_print_html_does_not_change_when_a_later_quarter_is_added(content):
    before = {j.name: j.html for j in print_jobs(load(content)) if j.name.startswith("hyoka-")}
    write_tree(content, "-- progress/2022Q4.yaml --\nas_of: 2022Q4\nnote: 架空の例\n")
    after = {j.name: j.html for j in print_jobs(load(content)) if j.name.startswith("hyoka-")}
    assert set(after) == set(before) | {"hyoka-2022Q4.pdf"}
    assert all(after[name] == html for name, html in before.items())  # so its PDF is reused


def test_the_report_is_a_print_job_of_its_own_and_the_plans_jobs_do_not_depend_on_progress(content, tmp_path):
    import shutil

    jobs = {j.name: j for j in print_jobs(load(content))}
    assert {"hyoka-2021Q1.pdf", "hyoka-2021Q2.pdf", "hyoka-2022Q3.pdf"} <= set(jobs)
    job = jobs["hyoka-2022Q3.pdf"]
    assert 'href="hyoka-print.css"' in job.html and 'href="print.css"' not in job.html
    assert job.title.startswith(load(content).plan.title) and "2022年度第3四半期" in job.title
    assert 'href="kpi-ichiran.pdf#kpi-k-rate"' in job.html and 'href="beppyo-1.pdf#row-r1"' in job.html
    without = shutil.copytree(content, tmp_path / "without")
    shutil.rmtree(without / "progress")
    plain = {j.name: j.html for j in print_jobs(load(without))}
    assert plain == {n: j.html for n, j in jobs.items() if not n.startswith("hyoka-")}


# ------------------------------------------------------------------ open data

def test_progress_csv_and_kpi_actuals_csv_parse_back_to_the_records(doc3):
    files = render_data(doc3)
    lines = list(csv.DictReader(io.StringIO(files["progress.csv"].decode("utf-8-sig"))))
    expected = [r for ev in doc3.progress for r in line_records(doc3, ev)]
    assert len(lines) == len(expected) == 3 * 3
    assert list(lines[0]) == [f for f, _ in PROGRESS_FIELDS]
    derived = next(r for r in lines if r["as_of"] == "2022Q3" and r["line_id"] == "r1/t1")
    assert (derived["status"], derived["status_reported"], derived["status_derived"]) == ("遅延", "", "true")
    actuals = list(csv.DictReader(io.StringIO(files["kpi-actuals.csv"].decode("utf-8-sig"))))
    assert list(actuals[0]) == [f for f, _ in ACTUAL_FIELDS] and len(actuals) == len(actual_records(doc3)) == 3
    assert [(a["as_of"], a["period"], a["value"], a["kind"], a["latest"]) for a in actuals] == [
        ("2021Q2", "2020", "45.5", "速報値", "false"), ("2022Q3", "2020", "46.0", "確定値", "true"),
        ("2022Q3", "2021", "71.2", "速報値", "true")]


def test_a_comment_that_looks_like_a_formula_is_neutralised_in_csv_and_kept_in_json(doc3):
    files = render_data(doc3)
    row = next(r for r in csv.DictReader(io.StringIO(files["progress.csv"].decode("utf-8-sig")))
               if r["as_of"] == "2021Q2" and r["line_id"] == "r1/t1")
    assert row["comment"].startswith("'=HYPERLINK(")
    data = json.loads(files["progress.json"])
    line = next(l for l in data["evaluations"][1]["lines"] if l["line_id"] == "r1/t1")
    assert line["comment"].startswith("=HYPERLINK(")


def test_progress_json_follows_its_schema_and_the_schema_catches_a_wrong_status(doc3, progress_doc):
    for d in (doc3, progress_doc):
        files = render_data(d)
        schema = json.loads(files["progress.schema.json"])
        jsonschema.Draft202012Validator.check_schema(schema)
        data = json.loads(files["progress.json"])
        jsonschema.Draft202012Validator(schema).validate(data)
    data["evaluations"][0]["lines"][0]["status"] = "済"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_the_readme_explains_every_progress_column(doc3, doc):
    readme = render_data(doc3)["README.md"].decode("utf-8")
    for name, _ in PROGRESS_FIELDS + ACTUAL_FIELDS:
        assert f"| `{name}` |" in readme
    assert "progress.csv" not in render_data(doc)["README.md"].decode("utf-8")


# ------------------------------------------------------------------ the 新旧対照表

def test_the_shinkyu_table_between_two_revisions_is_unaffected_by_progress_files(tmp_path):
    """Progress is not the plan: two revisions compared with and without their (different)
    evaluations give the same 新旧対照表, byte for byte (HTML and the figures' rows)."""
    import shutil

    from dgdocs.diff import compare
    from dgdocs.progress.fictional import write_evaluations
    from dgdocs.render.shinkyu import render_html
    from test_diff import V1, V2

    plain = render_html(compare(load(V1), load(V2), "改定前", "改定後"))
    with_progress = []
    for name, src, first, n in (("v1", V1, (2020, 1), 2), ("v2", V2, (2020, 2), 4)):
        dest = shutil.copytree(src, tmp_path / name)
        write_evaluations(load(dest), dest, first=first, n=n)
        with_progress.append(load(dest))
    assert all(d.progress for d in with_progress)
    old, new = with_progress
    assert render_html(compare(old, new, "改定前", "改定後")) == plain
    assert compare(old, new) == compare(load(V1), load(V2))


# ------------------------------------------------------------------ rendered beside the build

def test_the_reports_rendered_on_a_second_core_are_the_pages_rendered_in_the_build(doc3, monkeypatch):
    forked = _render_site(doc3)
    monkeypatch.setenv("DGDOCS_NO_FORK", "1")
    assert _render_site(doc3) == forked and sum(p.startswith("hyoka/") for p in forked) == 4  # 3 quarters, the index


def test_a_report_is_rendered_by_a_child_and_by_the_build_when_the_child_fails():
    import os

    from dgdocs.render.beside import Beside, can_fork
    if not can_fork():
        pytest.skip("one core, or threads running: the build renders every page itself")
    build = os.getpid()
    paths = ["hyoka/2021Q1.html", "hyoka/2021Q2.html"]
    done = Beside(lambda: {p: f"{p} {os.getpid()}".encode() for p in paths}).result()
    assert {p: pid != str(build).encode() for p, pid in ((p, b.split()[1]) for p, b in done.items())} == \
        {"hyoka/2021Q1.html": True, "hyoka/2021Q2.html": True}  # rendered in another process

    def fails_in_the_child():
        if os.getpid() != build:
            raise RuntimeError("a child's error")
        return {p: f"{p} here".encode() for p in ["a.html", "b.html"]}
    assert Beside(fails_in_the_child).result() == {"a.html": b"a.html here", "b.html": b"b.html here"}


def test_shared_items_are_made_by_the_child_and_the_build_together_each_once():
    """dgdocs.render.beside.Shared: the child starts on the queue at once; the build joins in
    (here: once the child has taken the first item) and each item is made once, by one of
    them; a child that fails leaves its items to the build."""
    import os

    from dgdocs.render.beside import Shared, can_fork
    if not can_fork():
        pytest.skip("one core, or threads running: nothing is forked")
    build = os.getpid()
    r, w = os.pipe()

    def make(i):
        if os.getpid() != build and i == 0:
            os.write(w, b"!")  # the child has begun: the build may join in
        if os.getpid() != build:
            os.read(gate_r, 1)  # the child waits for the build to take an item before each of its next
        return (i, os.getpid())
    gate_r, gate_w = os.pipe()
    shared = Shared(list(range(6)), make)
    os.read(r, 1)

    def make_here(i):
        os.write(gate_w, b"go")  # each item the build makes lets the child make one more
        return (i, os.getpid())
    shared.make = make_here
    done = shared.result()
    makers = {i: pid for i, (j, pid) in done.items() if i == j}
    assert sorted(makers) == list(range(6)) and makers[0] != build  # every item, the first by the child
    assert build in makers.values() and len(set(makers.values())) == 2  # and the others by both
    for fd in (r, w, gate_r, gate_w):
        os.close(fd)

    def fails_in_the_child(i):
        if os.getpid() != build:
            raise RuntimeError("a child's error")
        return i * 10
    assert Shared(list(range(5)), fails_in_the_child).result() == {0: 0, 1: 10, 2: 20, 3: 30, 4: 40}


def test_a_child_given_up_is_gone_and_leaves_nothing_behind():
    """A build the checks block gives the evaluations up: the child is killed and reaped."""
    import os

    from dgdocs.render.beside import Beside, can_fork
    if not can_fork():
        pytest.skip("one core, or threads running: nothing is forked")
    r, w = os.pipe()

    def waits_for_ever():
        os.close(w)
        os.read(r, 1)  # never comes: the parent holds the write end until the child is gone
        return {}
    beside = Beside(waits_for_ever)
    pid = beside.pid
    assert pid is not None
    beside.cancel()
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(pid, os.WNOHANG)
    os.close(r), os.close(w)


def test_the_evaluations_started_before_the_checks_give_the_files_the_build_renders(content, monkeypatch):
    """Session.start_evaluations (the CLI's order: before the checks, and before the PDFs)
    gives the same site, open data and report PDFs' print HTML as a build that renders them
    itself; started for other targets than rendered (a PDF build, then none), it is refused."""
    from dgdocs.build import Session
    from dgdocs.render.pdfjobs import Printer
    session = Session(content)
    started = session.start_evaluations(["html", "data"])
    assert started is not None
    session.check()
    with_child = session.render(["html", "data"]).outputs
    monkeypatch.setenv("DGDOCS_NO_FORK", "1")
    plain = Session(content).render(["html", "data"]).outputs
    assert with_child == plain and any(p.startswith("hyoka/") for p in plain["html"]) and "progress.json" in plain["data"]
    pdf_build = Session(content)
    evaluations = pdf_build.start_evaluations(["html", "data", "pdf"])
    assert [j.html for j in evaluations.print_jobs()] == [j.html for j in Printer(pdf_build.document).report_jobs()]
    other = Session(content)
    other.start_evaluations(["html", "pdf"])
    with pytest.raises(ValueError):
        other.render(["html", "data"])  # (the child it started is given up)
