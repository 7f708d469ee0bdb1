"""The health chart panel: matplotlib canvas (loaded on first show), ranges, hover, export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import dates_text
from app.services.health_timeline import HealthTimeline
from app.services.labels import in_sentence, label_of
from app.views.dialogs import choose_save_path
from app.views.rich_text import unbroken

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Range buttons: label and days back from the newest week (None: everything).
RANGES: tuple[tuple[str, int | None], ...] = (("90 days", 90), ("1 year", 365), ("All", None))
#: The panel's preferred height: the chart, its range buttons and legend on a 768-pixel
#: laptop's first screen, under the account's header (the canvas alone asks for more).
PREFERRED_HEIGHT = 480


def ask_save_path(parent: QWidget | None, suggested: str) -> str | None:
    """Ask where to save a chart (PNG or SVG); None when cancelled. Tests replace this."""
    chosen = choose_save_path(
        parent, "Export chart", suggested, "PNG image (*.png);;SVG drawing (*.svg)"
    )
    return str(chosen) if chosen else None


def current_theme(widget: QWidget | None = None) -> str:
    """``"dark"`` when the widget's (else the application's) palette is dark, else ``"light"``."""
    if widget is not None:
        colours = widget.palette()
    else:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return "light"
        colours = app.palette()
    window = colours.color(QPalette.ColorRole.Window)
    return "dark" if window.lightness() < 128 else "light"


def _legend_html(events: list[tuple[str, str, str]], groups: list[tuple[str, str, str]]) -> str:
    """The chart's legend as rich text: events, then contribution groups."""

    def item(marker: str, colour: str, text: str) -> str:
        return f'<span style="color:{colour}">{marker}</span>&nbsp;{unbroken(text)}'

    # Each gap ends in a plain space, the one place a line may break.
    gap = "&nbsp;" * 3 + " "
    parts = []
    if events:
        parts.append("<b>Events</b>&nbsp;&nbsp;" + gap.join(item(*e) for e in events))
    if groups:
        parts.append("<b>Contribution</b>&nbsp;&nbsp;" + gap.join(item(*e) for e in groups))
    return ("&nbsp;" * 6 + " ").join(parts)


class HealthChartPanel(QWidget):
    """Score over time with bands, breakdown and events; hover read-out by blitting.

    ``week_clicked(date)`` fires when the user clicks a week (the tab explains that week).
    """

    week_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timeline: HealthTimeline | None = None
        self._range_days: int | None = 365
        self.canvas: Any = None
        self.figure: Figure | None = None
        self._hover: dict[str, Any] = {}
        self._background: Any = None
        self._background_static: Any = None
        self._data_artists: list[Any] = []
        self._drawn_for: tuple[Any, ...] | None = None
        self._bands: list[Any] = []
        self.tip: QLabel
        self._x: list[float] = []
        self._y: list[float] = []
        self._dates: list[date] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.range_buttons = QButtonGroup(self)
        for i, (label, days) in enumerate(RANGES):
            button = QPushButton(label)
            button.setCheckable(True)
            button.setChecked(days == self._range_days)
            self.range_buttons.addButton(button, i)
            bar.addWidget(button)
        self.range_buttons.idClicked.connect(self._range_chosen)
        bar.addStretch(1)
        self.readout = QLabel("")
        self.readout.setObjectName("healthReadout")
        bar.addWidget(self.readout)
        bar.addStretch(1)
        self.export_button = QPushButton("Export chart…")
        self.export_button.clicked.connect(self.export)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self._canvas_holder = QVBoxLayout()
        layout.addLayout(self._canvas_holder, 1)
        self.legend = QLabel("")
        self.legend.setObjectName("healthLegend")
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(4, 2, 4, 8)
        layout.addWidget(self.legend)
        self.setMinimumHeight(320)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), min(hint.height(), PREFERRED_HEIGHT))

    # -- data ----------------------------------------------------------------------------

    def set_timeline(self, timeline: HealthTimeline | None) -> None:
        """Show this account's timeline (None: nothing selected)."""
        self._timeline = timeline
        if self.canvas is None:
            return
        if timeline is None or not self._update_scores():
            self.redraw()

    def set_range(self, days: int | None) -> None:
        """Show the last ``days`` (None: all)."""
        self._range_days = days
        for i, (_, value) in enumerate(RANGES):
            button = self.range_buttons.button(i)
            button.setChecked(value == days)
        if self.canvas is not None:
            self.redraw()

    def _range_chosen(self, button_id: int) -> None:
        self.set_range(RANGES[button_id][1])

    def visible_range(self) -> tuple[date | None, date | None]:
        """The dates the chart shows."""
        if self._timeline is None or not self._timeline.dates:
            return None, None
        last = self._timeline.dates[-1]
        if self._range_days is None:
            return None, last
        return last - timedelta(days=self._range_days), last

    # -- drawing -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Follow a switch between light and dark themes.
        if event.type() == QEvent.Type.PaletteChange and self.canvas is not None:
            self.redraw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_canvas()

    def ensure_canvas(self) -> None:
        """Create the matplotlib canvas (importing matplotlib) the first time it is needed."""
        if self.canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(10, 5.2), dpi=self.logicalDpiX() or 96)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setParent(self)
        self._canvas_holder.addWidget(self.canvas)
        self.tip = QLabel(self.canvas)
        self.tip.setObjectName("healthHoverTip")
        self.tip.hide()
        self.canvas.mpl_connect("draw_event", self._on_draw)
        self.canvas.mpl_connect("motion_notify_event", self._on_motion)
        self.canvas.mpl_connect("button_press_event", self._on_click)
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the figure for the current timeline, range and theme."""
        from app.exports.health_chart_live import data_artists, legend_entries
        from app.exports.health_charts import health_figure

        assert self.figure is not None
        self._background = self._background_static = None
        if self._timeline is None:
            self.figure.clear()
            self.figure.text(0.5, 0.5, "No account selected", ha="center", va="center")
            self.legend.setText("")
            self._x, self._y, self._dates = [], [], []
            self._data_artists = []
            self._hover = {}
            self._drawn_for = None
            self.canvas.draw_idle()
            return
        start, end = self.visible_range()
        theme = current_theme(self)
        # Legends as Qt text under the chart: crisp, and a third cheaper first draw.
        health_figure(
            self._timeline, theme=theme, start=start, end=end, figure=self.figure, legends=False
        )
        events, groups = legend_entries(self._timeline.between(start, end), theme)
        self.legend.setText(_legend_html(events, groups))
        # The scores are drawn over a cached background, so a rescore only redraws them.
        self._data_artists = data_artists(self.figure)
        for artist in self._data_artists:
            artist.set_animated(True)
        self._drawn_for = self._shape(self._timeline, theme)
        self._prepare_hover(start, end)
        self.canvas.draw_idle()

    def _shape(self, timeline: HealthTimeline, theme: str) -> tuple[Any, ...]:
        """What the static background depends on: weeks, events, range, size, theme."""
        return (timeline.dates, timeline.events, timeline.groups, self._range_days, theme)

    def _update_scores(self) -> bool:
        """Fast path: same weeks and events, new scores. Returns False when a rebuild is due."""
        from app.exports.health_chart_live import update_scores

        assert self._timeline is not None
        theme = current_theme(self)
        if self._background_static is None or self._drawn_for != self._shape(self._timeline, theme):
            return False
        update_scores(self.figure, self._timeline, theme)  # type: ignore[arg-type]
        start, end = self.visible_range()
        shown = self._timeline.between(start, end)
        self._y = list(shown.scores)
        self._bands = list(shown.bands)
        self.canvas.restore_region(self._background_static)
        self._draw_data_layer()
        self.canvas.blit(self.figure.bbox)  # type: ignore[union-attr]
        return True

    def _draw_data_layer(self) -> None:
        """Draw the score artists onto the canvas and remember that picture for hovering."""
        for artist in self._data_artists:
            artist.axes.draw_artist(artist)
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)  # type: ignore[union-attr]
        if self.hover_visible():
            ax = self._hover["axes"]
            for key in ("line", "dot"):
                ax.draw_artist(self._hover[key])

    def _prepare_hover(self, start: date | None, end: date | None) -> None:
        from app.exports.chart_style import day_number, palette
        from app.exports.health_chart_live import score_axes

        assert self.figure is not None and self._timeline is not None
        shown = self._timeline.between(start, end)
        self._dates = list(shown.dates)
        self._x = [day_number(d) for d in shown.dates]
        self._y = list(shown.scores)
        self._bands = list(shown.bands)
        ax = score_axes(self.figure)
        colours = palette(current_theme(self))
        self._hover = {}
        if ax is None:
            return
        self._hover["axes"] = ax
        self._hover["line"] = ax.axvline(
            0, color=colours.muted, lw=0.8, animated=True, visible=False
        )
        (self._hover["dot"],) = ax.plot(
            [0], [0], "o", ms=6, color=colours.line, animated=True, visible=False
        )
        # The read-out itself is a Qt label over the canvas: Qt draws text far cheaper than
        # Agg, so a hover update stays a blit of two small artists.
        self.tip.setStyleSheet(
            f"QLabel {{ background: {colours.background}; color: {colours.text}; "
            f"border: 1px solid {colours.grid}; border-radius: 3px; padding: 2px 5px; }}"
        )

    def _on_draw(self, _event: Any) -> None:
        # A full draw leaves out the animated score artists: keep that picture, then add them.
        self._background_static = self.canvas.copy_from_bbox(self.figure.bbox)  # type: ignore[union-attr]
        self._draw_data_layer()

    def nearest_week(self, x: float) -> int | None:
        """Index of the shown week closest to x (a date number)."""
        if not self._x:
            return None
        import bisect

        i = bisect.bisect_left(self._x, x)
        candidates = [j for j in (i - 1, i) if 0 <= j < len(self._x)]
        return min(candidates, key=lambda j: abs(self._x[j] - x))

    def hover_text(self, index: int) -> str:
        """The read-out of one week, e.g. "Oct 12, 2026 · 54 (yellow)"."""
        week = dates_text.day(self._dates[index])
        band = in_sentence(label_of(self._bands[index]))
        return f"{week} · {self._y[index]:.0f} ({band})"

    def _on_motion(self, event: Any) -> None:
        ax = self._hover.get("axes")
        if ax is None or event.inaxes is not ax or event.xdata is None:
            self._hide_hover()
            return
        index = self.nearest_week(event.xdata)
        if index is None:
            return
        self.show_hover(index)

    def show_hover(self, index: int) -> None:
        """Draw the hover marker (blitting) and the read-out at week ``index``."""
        if not self._hover:
            return
        x, y = self._x[index], self._y[index]
        text = self.hover_text(index)
        self._hover["line"].set_xdata([x, x])
        self._hover["dot"].set_data([x], [y])
        for key in ("line", "dot"):
            self._hover[key].set_visible(True)
        self.readout.setText(text)
        self.tip.setText(text)
        self.tip.adjustSize()
        # Place the tip beside the point (display pixels -> widget pixels), left of it
        # in the right third so it stays inside the chart.
        px, py = self._hover["axes"].transData.transform((x, y))
        ratio = self.canvas.device_pixel_ratio or 1.0
        qx, qy = px / ratio, self.canvas.height() - py / ratio
        left = qx - self.tip.width() - 10 if qx > self.canvas.width() * 0.66 else qx + 10
        self.tip.move(int(left), int(max(0, qy - self.tip.height() - 8)))
        self.tip.show()
        self.tip.raise_()
        self._blit()

    def hover_visible(self) -> bool:
        """Whether the hover marker and read-out are showing."""
        return bool(self._hover) and self._hover["line"].get_visible()

    def _hide_hover(self) -> None:
        if not self.hover_visible():
            return
        for key in ("line", "dot"):
            self._hover[key].set_visible(False)
        self.readout.setText("")
        self.tip.hide()
        self._blit()

    def _blit(self) -> None:
        if self._background is None or self.figure is None:
            return
        self.canvas.restore_region(self._background)
        ax = self._hover["axes"]
        for key in ("line", "dot"):
            ax.draw_artist(self._hover[key])
        self.canvas.blit(self.figure.bbox)

    def _on_click(self, event: Any) -> None:
        ax = self._hover.get("axes")
        if ax is None or event.inaxes is not ax or event.xdata is None:
            return
        index = self.nearest_week(event.xdata)
        if index is not None:
            self.week_clicked.emit(self._dates[index])

    # -- export --------------------------------------------------------------------------

    def export(self) -> str | None:
        """Ask for a file and write the chart there as PNG or SVG (light theme, print size)."""
        if self._timeline is None:
            return None
        from app.exports.chart_style import save_figure
        from app.exports.health_charts import health_figure

        suggested = f"{self._timeline.account_name} health.png"
        path = ask_save_path(self, suggested)
        if path is None:
            return None
        if not path.lower().endswith((".png", ".svg")):
            path += ".png"
        start, end = self.visible_range()
        fig = health_figure(self._timeline, start=start, end=end, dpi=150)
        save_figure(path, fig)
        return path
