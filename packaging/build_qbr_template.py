"""Build ``qbr-default.pptx``, the clean 16:9 template QBR decks use when none is chosen.

Run from the repository root after changing the design, and commit the result:
``python packaging/build_qbr_template.py``. The deck writer only needs the
layouts named here ("Title Slide", "Title Only"); any user template with similar layouts works.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

OUT = Path(__file__).resolve().parent.parent / "resources" / "templates" / "qbr-default.pptx"

NAVY = "1F3A5F"
TEAL = "1A7F8E"
GREY = "6B7280"
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
KEEP_LAYOUTS = ("Title Slide", "Title Only", "Title and Content", "Blank")
THEME_COLOURS = {
    "dk2": NAVY,
    "lt2": "EEF2F6",
    "accent1": NAVY,
    "accent2": TEAL,
    "accent3": "E0A526",
    "accent4": "C8453B",
    "accent5": "3C9D5D",
    "accent6": "7A869A",
}


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def _scale_x(tree: etree._Element, factor: float) -> None:
    for off in tree.iter(_q("a:off")):
        off.set("x", str(round(int(off.get("x")) * factor)))
    for ext in tree.iter(_q("a:ext")):
        if ext.get("cx") is not None:
            ext.set("cx", str(round(int(ext.get("cx")) * factor)))


def _place(shape, left: float, top: float, width: float, height: float) -> None:  # type: ignore[no-untyped-def]
    shape.left, shape.top = Inches(left), Inches(top)
    shape.width, shape.height = Inches(width), Inches(height)


def _solid(colour: str) -> etree._Element:
    fill = etree.Element(_q("a:solidFill"))
    etree.SubElement(fill, _q("a:srgbClr"), val=colour)
    return fill


def _style_level(level: etree._Element, size: int, colour: str, bold: bool = False) -> None:
    rpr = level.find(_q("a:defRPr"))
    rpr.set("sz", str(size))
    if bold:
        rpr.set("b", "1")
    for old in rpr.findall(_q("a:solidFill")):
        rpr.remove(old)
    rpr.insert(0, _solid(colour))


_SCRATCH = Presentation()
_SCRATCH_SLIDE = _SCRATCH.slides.add_slide(_SCRATCH.slide_layouts[6])
_NEXT_ID = [200]


def _adopt(shapes, shape) -> None:  # type: ignore[no-untyped-def]
    """Move a shape drawn on a scratch slide onto a master or layout (they cannot draw)."""
    element = shape._element
    _NEXT_ID[0] += 1
    element.find(".//p:cNvPr", NS).set("id", str(_NEXT_ID[0]))
    shapes._spTree.append(element)


def _add_bar(shapes, left: float, top: float, width: float, height: float, colour: str) -> None:  # type: ignore[no-untyped-def]
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE

    bar = _SCRATCH_SLIDE.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height)
    )
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor.from_string(colour)
    bar.line.fill.background()
    bar.shadow.inherit = False
    _adopt(shapes, bar)


def _add_text(
    shapes, left: float, top: float, width: float, text: str, align: str
) -> etree._Element:  # type: ignore[no-untyped-def]
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN

    box = _SCRATCH_SLIDE.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(0.3))
    _adopt(shapes, box)
    para = box.text_frame.paragraphs[0]
    para.alignment = PP_ALIGN.RIGHT if align == "r" else PP_ALIGN.LEFT
    run = para.add_run()
    run.text = text
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor.from_string(GREY)
    return run._r


def build() -> None:
    prs = Presentation()
    factor = 12192000 / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    master = prs.slide_master
    for layout in list(master.slide_layouts):
        if layout.name not in KEEP_LAYOUTS:
            master.slide_layouts.remove(layout)
    _scale_x(master._element.find(_q("p:cSld")), factor)
    for layout in master.slide_layouts:
        _scale_x(layout._element.find(_q("p:cSld")), factor)

    # Theme: our palette.
    theme_part = next(p for p in prs.part.package.iter_parts() if "theme" in str(p.partname))
    theme = etree.fromstring(theme_part.blob)
    scheme = theme.find(".//a:clrScheme", NS)
    scheme.set("name", "Fieldbook")
    for name, colour in THEME_COLOURS.items():
        slot = scheme.find(f"a:{name}", NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, _q("a:srgbClr"), val=colour)
    theme_part._blob = etree.tostring(
        theme, xml_declaration=True, encoding="UTF-8", standalone=True
    )

    # Master: left-aligned navy titles at the top, calmer body sizes, an accent rule, footer.
    styles = master._element.find(_q("p:txStyles"))
    title_lvl = styles.find("p:titleStyle/a:lvl1pPr", NS)
    title_lvl.set("algn", "l")
    _style_level(title_lvl, 2800, NAVY, bold=True)
    for index, size in enumerate((2000, 1800, 1600, 1400, 1400), start=1):
        _style_level(styles.find(f"p:bodyStyle/a:lvl{index}pPr", NS), size, "1F2937")
    for ph in master.placeholders:
        kind = ph.placeholder_format.type
        if kind is not None and int(kind) == 1:  # title
            _place(ph, 0.5, 0.3, 12.33, 0.85)
            ph.text_frame._bodyPr.set("anchor", "b")
        elif kind is not None and int(kind) == 2:  # body
            _place(ph, 0.5, 1.45, 12.33, 5.2)
    _add_bar(master.shapes, 0.5, 1.2, 12.33, 0.04, TEAL)
    _add_text(
        master.shapes, 0.5, 7.05, 9.0, "{{account.name}}  ·  {{quarter.label}} business review", "l"
    )
    number = _add_text(master.shapes, 10.83, 7.05, 2.0, "", "r")
    field = etree.Element(_q("a:fld"), id="{6D1B4C55-4B0F-4A8B-9F2B-1C1B5E0A9D11}", type="slidenum")
    field.append(copy.deepcopy(number.find(_q("a:rPr"))))
    etree.SubElement(field, _q("a:t")).text = "‹#›"
    number.addnext(field)
    number.getparent().remove(number)

    # Title slide: navy, white type, two logo placeholders.
    title_layout = next(la for la in master.slide_layouts if la.name == "Title Slide")
    c_sld = title_layout._element.find(_q("p:cSld"))
    title_layout._element.set("showMasterSp", "0")
    background = etree.Element(_q("p:bg"))
    bg_pr = etree.SubElement(background, _q("p:bgPr"))
    bg_pr.append(_solid(NAVY))
    etree.SubElement(bg_pr, _q("a:effectLst"))
    c_sld.insert(0, background)
    for ph in title_layout.placeholders:
        kind = int(ph.placeholder_format.type)
        if kind == 3:  # centre title
            _place(ph, 0.8, 2.3, 11.7, 1.6)
            ph.text_frame._bodyPr.set("anchor", "b")
            lst = ph.text_frame._txBody.find(_q("a:lstStyle"))
            lvl = etree.SubElement(lst, _q("a:lvl1pPr"), algn="l")
            rpr = etree.SubElement(lvl, _q("a:defRPr"), sz="4000", b="1")
            rpr.append(_solid("FFFFFF"))
        elif kind == 4:  # subtitle
            _place(ph, 0.8, 4.15, 11.7, 1.4)
            for lvl in ph.text_frame._txBody.find(_q("a:lstStyle")):
                lvl.set("algn", "l")
                rpr = lvl.find(_q("a:defRPr"))
                for old in list(rpr):
                    rpr.remove(old)
                rpr.set("sz", "2000")
                rpr.append(_solid("D6E4F0"))
        else:
            ph._element.getparent().remove(ph._element)
    _add_bar(title_layout.shapes, 0.8, 4.0, 2.0, 0.06, TEAL)
    tree = title_layout.shapes._spTree
    for idx, (name, left) in enumerate((("Our logo", 0.8), ("Customer logo", 10.1)), start=13):
        tree.append(_picture_placeholder(100 + idx, idx, name, left))

    # A notes master in the template spares every deck building one for its speaker notes.
    prs.notes_master  # noqa: B018 - the property creates the part

    props = prs.core_properties
    props.title = "Fieldbook QBR template"
    props.author = props.last_modified_by = "Fieldbook"
    props.comments = props.subject = props.keywords = props.category = ""
    props.revision = 1
    props.created = props.modified = datetime(2026, 11, 22, tzinfo=UTC).replace(tzinfo=None)
    prs.save(OUT)
    print(f"wrote {OUT}")


def _picture_placeholder(shape_id: int, idx: int, name: str, left: float) -> etree._Element:
    xml = f"""
<p:sp xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}">
  <p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>
    <p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>
    <p:nvPr><p:ph type="pic" idx="{idx}"/></p:nvPr></p:nvSpPr>
  <p:spPr><a:xfrm><a:off x="{Inches(left)}" y="{Inches(0.6)}"/>
    <a:ext cx="{Inches(2.4)}" cy="{Inches(0.9)}"/></a:xfrm></p:spPr>
  <p:txBody><a:bodyPr anchor="ctr"/><a:lstStyle><a:lvl1pPr algn="ctr"><a:buNone/>
    <a:defRPr sz="1200"><a:solidFill><a:srgbClr val="D6E4F0"/></a:solidFill></a:defRPr>
    </a:lvl1pPr></a:lstStyle><a:p><a:r><a:rPr lang="en-US"/><a:t>{name}</a:t></a:r></a:p>
  </p:txBody>
</p:sp>"""
    return etree.fromstring(xml)


if __name__ == "__main__":
    build()
