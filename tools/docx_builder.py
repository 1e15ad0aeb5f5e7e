"""Helpers to write DOCX templates (docxtpl syntax) with python-docx.

The templates in toolbox/documents/templates/docx/ are ordinary Word files; this builder
only gives them a consistent look. After generating, people may edit them in Word or
LibreOffice directly.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x55, 0x55, 0x55)
FONT = "Arial"
LANGUAGE = "de-DE"


class TemplateDoc:
    def __init__(self):
        self.doc = Document()
        self._styles()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(22), Mm(25)
        section.left_margin, section.right_margin = Mm(22), Mm(20)
        self._footer()

    def _styles(self):
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10.5)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(5)
        normal.paragraph_format.line_spacing = 1.15
        for name, size in (("Title", 20), ("Heading 1", 13), ("Heading 2", 11)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = BLUE
            rfonts = style.element.rPr.rFonts
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                rfonts.set(qn(attr), FONT)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
        title = styles["Title"]
        # The default Title style draws a coloured bottom border; keep a calm single rule.
        ppr = title.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:pBdr")):
            ppr.remove(old)
        ppr.append(_border("bottom", "12", "1F4E79"))

    def _footer(self):
        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0]
        p.text = ""
        run = p.add_run(
            "Erstellt am {{ generated }}{% if ersetzt is defined and ersetzt %} · ersetzt die "
            "Fassung vom {{ ersetzt }}{% endif %}\t\tSeite "
        )
        _small(run)
        _field(p, "PAGE")
        _small(p.add_run(" von "))
        _field(p, "NUMPAGES")

    # --- content -----------------------------------------------------------------------

    def kicker(self, text):
        p = self.doc.add_paragraph()
        run = p.add_run(text.upper())
        run.font.size = Pt(9)
        run.font.color.rgb = BLUE
        p.paragraph_format.space_after = Pt(0)
        return p

    def title(self, text):
        return self.doc.add_paragraph(text, style="Title")

    def heading(self, text, level=1):
        return self.doc.add_paragraph(text, style=f"Heading {level}")

    def para(self, *runs, style=None, italic=False, small=False):
        """A paragraph of runs; a run is a string or a (string, "b") pair for bold."""
        p = self.doc.add_paragraph(style=style)
        for item in runs:
            text, fmt = (item, "") if isinstance(item, str) else item
            run = p.add_run(text)
            run.bold = "b" in fmt
            run.italic = italic or "i" in fmt
            if small or "s" in fmt:
                _small(run)
            if "r" in fmt:
                run.font.color.rgb = RGBColor(0x9C, 0x2A, 0x00)
                run.bold = True
        return p

    def tag(self, text):
        """A paragraph that holds only a docxtpl block tag ({%p … %}); docxtpl removes it."""
        return self.doc.add_paragraph(text)

    def bullet(self, text):
        return self.doc.add_paragraph(text, style="List Bullet")

    def numbered(self, text):
        return self.doc.add_paragraph(text, style="List Number")

    def table(self, headers, cells, loop):
        """A table with a header row and one row repeated by `{%tr for … %}`."""
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, text in enumerate(headers):
            cell = table.rows[0].cells[i]
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            _shade(cell, "E8EEF5")
        _repeat_header(table.rows[0])
        table.rows[1].cells[0].text = "{%tr " + loop + " %}"
        for i, text in enumerate(cells):
            table.rows[2].cells[i].text = text
        table.rows[3].cells[0].text = "{%tr endfor %}"
        return table

    def signature_lines(self, loop, name, detail):
        self.tag("{%p " + loop + " %}")
        p = self.para("")
        p.paragraph_format.space_before = Pt(24)
        self.para("_" * 45).paragraph_format.space_after = Pt(0)
        self.para((name, "b")).paragraph_format.space_after = Pt(0)
        self.para(detail)
        self.tag("{%p endfor %}")

    def right(self, p):
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return p

    def _german(self):
        """German as the default language, so Word and LibreOffice spell-check and
        hyphenate in German: docDefaults, the theme font language, stylesWithEffects."""
        for lang in self.doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
            lang.set(qn("w:val"), LANGUAGE)
            lang.set(qn("w:eastAsia"), LANGUAGE)
        for lang in self.doc.settings.element.xpath("w:themeFontLang"):
            lang.set(qn("w:val"), LANGUAGE)
            lang.set(qn("w:eastAsia"), LANGUAGE)
        for part in self.doc.part.package.iter_parts():
            if part.partname.endswith("/stylesWithEffects.xml"):
                part._blob = part.blob.replace(b'"en-US"', f'"{LANGUAGE}"'.encode())  # noqa: SLF001

    def _no_leftovers(self):
        """Drop what python-docx's default template brings along: its thumbnail (a blank
        page) and the application name "Microsoft Macintosh Word"."""
        rels = self.doc.part.package.rels
        for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
            rels.pop(rid)
        for part in self.doc.part.package.iter_parts():
            if part.partname == "/docProps/app.xml":
                part._blob = part.blob.replace(  # noqa: SLF001
                    b"<Application>Microsoft Macintosh Word</Application>",
                    b"<Application>toolbox</Application>",
                )

    def save(self, path):
        self._german()
        self._no_leftovers()
        props = self.doc.core_properties
        props.title = ""
        props.author = "toolbox"
        props.language = LANGUAGE
        props.comments = ""  # python-docx's default template says "generated by python-docx"
        props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
        props.revision = 1
        self.doc.save(path)


def _small(run):
    run.font.size = Pt(8)
    run.font.color.rgb = GREY


def _field(paragraph, code):
    run = paragraph.add_run()
    _small(run)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {code} ")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    fld.append(inner)
    run._r.addnext(fld)


def _border(side, size, color):
    pbdr = OxmlElement("w:pBdr")
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), size)
    el.set(qn("w:space"), "4")
    el.set(qn("w:color"), color)
    pbdr.append(el)
    return pbdr


def _shade(cell, fill):
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
