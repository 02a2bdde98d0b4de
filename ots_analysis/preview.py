"""A print preview of the report without Quarto, and a layout check of its pages.

Quarto's PDF is pandoc's Typst output compiled by Typst, with Quarto's template. This module does the
same steps with the pandoc and Typst found on PyPI (``pypandoc-binary``, ``typst``), so the tables of
the printed report can be seen, and tested, where no Quarto is installed:

1. :func:`execute_document` runs the ``.qmd``'s Python cells in order (as Quarto's Jupyter engine would,
   in one namespace, in the working folder given) and returns the executed Markdown: ``output: asis``
   cells print Markdown, ``include: false`` cells print nothing, a ``tbl-cap`` becomes the table's
   caption, inline `` `{python} expr` `` values are filled in.
2. :func:`typst_markdown` resolves what Quarto's filters would for the Typst format: it keeps
   ``content-visible when-format="typst"`` blocks, drops the HTML-only ones, and turns cross-references
   (``@fig-...``, ``@tbl-...``) into "Figure n" / "Table n".
3. :func:`render_pdf` converts with pandoc (citations resolved by citeproc), puts each captioned table in
   a figure of Quarto's kind with its caption above (as Quarto's Typst output does), and compiles with
   Typst, with the same table rules as Quarto's render (``report/_typst/layout.typ``).
4. :func:`layout_problems` reads the PDF's text layer and reports overlapping words, words outside the
   page, and words broken with a hyphen inside a table.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CELL = re.compile(r"^```\{python\}\n(.*?)^```\n", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"`\{python\} (.+?)`")
OPTION = re.compile(r"^#\|\s?(.*)$")
_DIV_OPEN = re.compile(r'^:::+\s*\{\.content-(visible|hidden) when-format="(\w+)"\}\s*$')
_LABEL = re.compile(r"\{#((?:fig|tbl)-[a-z0-9-]+)")
_REFERENCE = re.compile(r"@((?:fig|tbl)-[a-z0-9-]+)")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
INCLUDE = re.compile(r"^\{\{< include (\S+) >\}\}$", re.MULTILINE)
HTML_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
ARTICLE_TEMPLATE = "_article.qmd"
"""The body of every article page in ``report/`` (see :mod:`ots_analysis.presentation.site`)."""


@dataclass(frozen=True)
class Cell:
    """One code cell: its ``#|`` options and its code."""

    options: dict[str, Any]
    code: str


def parse_cell(source: str) -> Cell:
    """Split a cell's source into its ``#|`` options (YAML) and the code after them."""
    import yaml

    option_lines: list[str] = []
    code_lines: list[str] = []
    for line in source.splitlines():
        match = OPTION.match(line)
        if match and not code_lines:
            option_lines.append(match.group(1))
        else:
            code_lines.append(line)
    options = yaml.safe_load("\n".join(option_lines)) if option_lines else {}
    return Cell(options or {}, "\n".join(code_lines) + "\n")


def _run(cell: Cell, namespace: dict[str, Any], name: str) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(cell.code, name, "exec"), namespace)
    if cell.options.get("include") is False:
        return ""
    text = printed.getvalue()
    caption = cell.options.get("tbl-cap")
    label = str(cell.options.get("label", ""))
    if caption and label.startswith("tbl-"):
        text = f"{text.rstrip()}\n\nTable: {caption} {{#{label}}}\n"
    return text


def execute_document(text: str, workdir: Path, name: str = "index.qmd") -> str:
    """The executed Markdown of a Quarto document (see the module doc), cells run in ``workdir``."""
    namespace: dict[str, Any] = {"__name__": "__report__"}
    pieces: list[str] = []
    position = 0
    workdir.mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(workdir):
        for number, match in enumerate(CELL.finditer(text), start=1):
            pieces.append(text[position : match.start()])
            pieces.append(_run(parse_cell(match.group(1)), namespace, f"{name}:cell{number}"))
            position = match.end()
        pieces.append(text[position:])
        executed = "".join(pieces)
        return INLINE.sub(lambda m: str(eval(m.group(1), namespace)), executed)


def _keep_format(markdown: str, output_format: str) -> str:
    """Apply ``.content-visible`` / ``.content-hidden`` ``when-format`` blocks for ``output_format``."""
    kept: list[str] = []
    stack: list[bool] = []  # for each open div: is its content kept?
    for line in markdown.splitlines():
        opened = _DIV_OPEN.match(line)
        if opened:
            visible = (opened.group(1) == "visible") == (opened.group(2) == output_format)
            stack.append(visible and all(stack))
            continue
        if stack and re.fullmatch(r":::+\s*", line):
            stack.pop()
            continue
        if all(stack):
            kept.append(line)
    return "\n".join(kept) + "\n"


def _number_references(markdown: str) -> str:
    numbers: dict[str, str] = {}
    counters = {"fig": 0, "tbl": 0}
    for label in _LABEL.findall(markdown):
        kind = label[:3]
        if label not in numbers:
            counters[kind] += 1
            numbers[label] = f"{'Figure' if kind == 'fig' else 'Table'} {counters[kind]}"
    return _REFERENCE.sub(lambda m: numbers.get(m.group(1), m.group(0)), markdown)


def typst_markdown(executed: str) -> str:
    """The executed Markdown as Quarto's filters would hand it to pandoc for the Typst format."""
    return _number_references(_keep_format(executed, "typst"))


def render_pdf(markdown: str, workdir: Path, bibliography: Path, header: Path, title: str) -> Path:
    """Convert ``markdown`` (already for Typst) with pandoc and compile it with Typst in ``workdir``.

    Returns the PDF's path (``workdir/index.pdf``). Page setup as in the report's _quarto.yml: A4, 2 cm
    margins, numbered sections, a table of contents.
    """
    import pypandoc
    import typst

    source = workdir / "index.md"
    source.write_text(markdown, encoding="utf-8")
    typ = workdir / "index.typ"
    pypandoc.convert_file(
        str(source),
        "typst",
        format="markdown",
        outputfile=str(typ),
        extra_args=[
            "--standalone",
            "--citeproc",
            f"--bibliography={bibliography}",
            f"--include-in-header={header}",
            "--toc",
            "--number-sections",
            "--metadata=lang:en",
            f"--metadata=title:{title}",
            "--variable=papersize:a4",
            "--variable=margin.x:2cm",
            "--variable=margin.y:2cm",
            "--variable=fontsize:11pt",
        ],
    )
    typ.write_text(_as_quarto_tables(typ.read_text(encoding="utf-8")), encoding="utf-8")
    pdf = workdir / "index.pdf"
    typst.compile(str(typ), output=str(pdf), root=str(workdir))
    return pdf


QUARTO_TABLE_KIND = '"quarto-float-tbl"'
_PANDOC_TABLE_KIND = re.compile(r"^(\s*, kind: )table$", re.MULTILINE)


def _as_quarto_tables(typ: str) -> str:
    """Pandoc's Typst with its captioned tables as Quarto prints them: a figure of Quarto's own kind
    (``"quarto-float-tbl"``, which rules written for pandoc's ``table`` kind do not match), captioned
    above the table."""
    tables = _PANDOC_TABLE_KIND.sub(rf'\g<1>{QUARTO_TABLE_KIND}, supplement: "Table"', typ)
    return f"#show figure.where(kind: {QUARTO_TABLE_KIND}): set figure.caption(position: top)\n" + tables


def render_pages(pdf: Path, folder: Path, scale: float = 1.0) -> list[Path]:
    """Each page of ``pdf`` as a PNG in ``folder`` (``page-01.png``, ...), to look at."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(str(pdf))
    written = []
    for number, page in enumerate(document, start=1):
        path = folder / f"page-{number:02d}.png"
        page.render(scale=scale).to_pil().save(path)
        written.append(path)
    return written


@dataclass(frozen=True)
class Box:
    """A glyph or a word of the PDF's text layer with its box (points, origin at the page's top left)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class TextLayer:
    """The PDF's glyphs and words, and each page's (width, height)."""

    chars: list[Box]
    words: list[Box]
    sizes: list[tuple[float, float]]


def text_layer(pdf: Path) -> TextLayer:
    """Every glyph and word of ``pdf`` with its box."""
    import pdfplumber

    def box(page: int, item: dict[str, Any]) -> Box:
        return Box(
            page,
            item["text"],
            float(item["x0"]),
            float(item["x1"]),
            float(item["top"]),
            float(item["bottom"]),
        )

    chars, words, sizes = [], [], []
    with pdfplumber.open(str(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            sizes.append((float(page.width), float(page.height)))
            chars += [box(number, char) for char in page.chars if char["text"].strip()]
            words += [
                box(number, word) for word in page.extract_words(use_text_flow=False, keep_blank_chars=False)
            ]
    return TextLayer(chars, words, sizes)


def _shared(a: Box, b: Box) -> tuple[float, float]:
    """The fractions of the narrower box's width and of the lower box's height that two boxes share."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0, 0.0
    return width / max(min(a.x1 - a.x0, b.x1 - b.x0), 1e-6), height / max(
        min(a.bottom - a.top, b.bottom - b.top), 1e-6
    )


def overlapping_chars(chars: list[Box], threshold: float = 0.3) -> list[tuple[Box, Box]]:
    """Pairs of letters or digits printed on top of each other: they share more than ``threshold`` of
    the narrower glyph's width and half the height. Neighbours in a word touch but do not overlap;
    punctuation is left out, because typesetting tucks a comma or full stop under a closing quote."""
    pairs = []
    by_page: dict[int, list[Box]] = {}
    for char in chars:
        if char.text.isalnum():
            by_page.setdefault(char.page, []).append(char)
    for page_chars in by_page.values():
        ordered = sorted(page_chars, key=lambda c: (c.top, c.x0))
        for i, char in enumerate(ordered):
            for other in ordered[i + 1 :]:
                if other.top >= char.bottom:
                    break
                width, height = _shared(char, other)
                if width > threshold and height > 0.5:
                    pairs.append((char, other))
    return pairs


def _word_at(words: list[Box], char: Box) -> str:
    for word in words:
        if (
            word.page == char.page
            and word.x0 - 0.5 <= char.x0 <= word.x1 + 0.5
            and word.top - 1 <= char.top <= word.bottom
        ):
            return word.text
    return char.text


def table_words(markdown: str) -> set[str]:
    """The words of the pipe tables in ``markdown`` (lines that start with ``|``)."""
    cells = " ".join(line for line in markdown.splitlines() if line.startswith("|"))
    return {word.strip(".,;:()[]*") for word in re.split(r"[\s|]+", cells) if word}


def broken_table_words(words: list[Box], table_vocabulary: set[str]) -> list[tuple[Box, Box]]:
    """Word pairs "Sup-" + "ported" that join into a table word which the source writes unbroken.

    The second part is the first word of a following line that starts within a word's width of
    where the broken part starts, on the same page.
    """
    broken = []
    for i, word in enumerate(words):
        if len(word.text) < 2 or not word.text.endswith("-") or not word.text[-2].isalpha():
            continue
        for other in words[i + 1 : i + 80]:
            if other.page != word.page or other.top <= word.top:
                continue
            if abs(other.x0 - word.x0) <= max(word.x1 - word.x0, 12.0):
                joined = (word.text[:-1] + other.text).strip(".,;:()[]*")
                if joined in table_vocabulary and word.text.strip(".,;:()[]*") not in table_vocabulary:
                    broken.append((word, other))
                break
    return broken


def layout_problems(pdf: Path, markdown: str, margin: float = 1.0) -> list[str]:
    """What a reader would see as broken layout in ``pdf``, one line each (empty = none found):
    text printed over other text, words off the page, and table words broken with a hyphen."""
    layer = text_layer(pdf)
    problems = []
    seen: set[tuple[int, int]] = set()
    for a, b in overlapping_chars(layer.chars):
        place = (a.page, round(a.top))
        if place not in seen:  # one line per line of text
            seen.add(place)
            problems.append(
                f"page {a.page}: text overlaps at y={a.top:.0f} "
                f"({_word_at(layer.words, a)!r} / {_word_at(layer.words, b)!r})"
            )
    for word in layer.words:
        width, height = layer.sizes[word.page - 1]
        if (
            word.x0 < -margin
            or word.x1 > width + margin
            or word.top < -margin
            or word.bottom > height + margin
        ):
            problems.append(f"page {word.page}: {word.text!r} runs off the page")
    problems += [
        f"page {a.page}: table word broken as {a.text!r} / {b.text!r}"
        for a, b in broken_table_words(layer.words, table_words(markdown))
    ]
    return problems


def resolve_includes(text: str, folder: Path, project: Path | None = None) -> str:
    """``text`` with each ``{{< include path >}}`` line replaced by that file, recursively, as Quarto
    does before anything runs: a path starting with ``/`` is relative to the Quarto ``project`` folder,
    any other to ``folder``, the folder of the file being rendered."""
    root = project or folder

    def included(match: re.Match[str]) -> str:
        name = match.group(1)
        path = root / name.lstrip("/") if name.startswith("/") else folder / name
        return resolve_includes(path.read_text(encoding="utf-8"), folder, root).rstrip("\n")

    return INCLUDE.sub(included, text)


def article_page_source(report: Path, article_id: str | None) -> str:
    """What Quarto renders for an article's page, without its front matter: the cell that the generated
    page sets ``ARTICLE_ID`` in (None: the default article), then ``report/_article.qmd`` with its
    includes resolved."""
    template = (report / ARTICLE_TEMPLATE).read_text(encoding="utf-8")
    setter = f"```{{python}}\n#| include: false\nARTICLE_ID = {article_id!r}\n```\n\n"
    return setter + HTML_COMMENT.sub("", resolve_includes(template, report / "articles", report))


def front_matter_title(text: str) -> str:
    """The ``title`` of a Quarto document's YAML front matter ("" if none)."""
    import yaml

    match = FRONT_MATTER.match(text)
    return str((yaml.safe_load(match.group(1)) or {}).get("title", "")) if match else ""


def preview_report(
    report: Path, bibliography: Path, workdir: Path, article_id: str | None = None
) -> tuple[Path, str]:
    """Execute the page of article ``article_id`` (None: the default article) in ``workdir`` and print
    it to PDF, titled with the article's headline; returns the PDF and its Markdown."""
    from ots_analysis.paths import project_paths
    from ots_analysis.processed import load_processed

    title = load_processed(project_paths()).article(article_id).headline.rstrip(".")
    markdown = typst_markdown(execute_document(article_page_source(report, article_id), workdir))
    pdf = render_pdf(markdown, workdir, bibliography, report / "_typst" / "layout.typ", title)
    return pdf, markdown


def main() -> int:
    """``python -m ots_analysis.preview``: print an article's page (``$OTS_ANALYSIS_ARTICLE``, default:
    the default article) to report/_preview/index.pdf, with PNG pages in report/_preview/pages/, and
    list any layout problem (exit 1 if there is one)."""
    import matplotlib

    matplotlib.use("Agg")
    from ots_analysis.paths import ARTICLE_ENV, project_paths

    paths = project_paths()
    workdir = paths.report / "_preview"
    article_id = os.environ.get(ARTICLE_ENV) or None
    pdf, markdown = preview_report(paths.report, paths.processed / "references.json", workdir, article_id)
    pages = render_pages(pdf, workdir / "pages")
    print(f"preview: {pdf} ({len(pages)} pages as PNG in {workdir / 'pages'})")  # noqa: T201
    problems = layout_problems(pdf, markdown)
    for problem in problems:
        print(f"layout: {problem}")  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
