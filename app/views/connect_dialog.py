"""File > Connect to team workspace: host, database, user; the password in the OS keyring.

The address (without the password) is remembered in the settings file; the password never
is: with "Remember the password" it goes to the system keyring (``keyring``), and the next
connection to the same address finds it there.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url

from app.models.errors import WorkspaceError
from app.models.opening import open_workspace
from app.models.server import ServerRefusedError, save_password, saved_password
from app.models.store import Store
from app.views.theme import error_label, show_error


class ConnectDialog(QDialog):
    """Asks for a team workspace's address and opens it; ``store`` is set on success."""

    def __init__(self, parent: QWidget | None = None, last: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to team workspace")
        self.store: Store | None = None
        self.host = QLineEdit(self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit(self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("from the system keyring when left empty")
        self.tls = QCheckBox("The server requires an encrypted (TLS) connection", self)
        self.remember = QCheckBox("Remember the password in the system keyring", self)
        self.remember.setChecked(True)
        #: What is wrong with the server's answer when no one field is (under the check boxes).
        self.error = error_label(self)
        #: What is missing from or wrong with a field, on the line under that field.
        self.field_errors = {
            edit: error_label(self) for edit in (self.host, self.database, self.user, self.password)
        }
        #: The field to correct for each part of the address a server's refusal names.
        self.fields = {
            "host": self.host,
            "database": self.database,
            "user": self.user,
            "password": self.password,
        }
        form = QFormLayout()
        for text, edit in (
            ("&Server:", self.host),
            ("P&ort:", self.port),
            ("&Database:", self.database),
            ("&User:", self.user),
            ("&Password:", self.password),
        ):
            label = QLabel(text, self)
            label.setBuddy(edit)  # its Alt key, as the rows of one widget get by themselves
            if not isinstance(edit, QLineEdit):
                form.addRow(label, edit)
                continue
            column = QVBoxLayout()
            column.addWidget(edit)
            column.addWidget(self.field_errors[edit])
            form.addRow(label, column)
            edit.textEdited.connect(self.field_errors[edit].hide)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.connect_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText("&Connect")
        buttons.accepted.connect(self.try_connect)
        buttons.rejected.connect(self.reject)
        layout = self.rows = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tls)
        layout.addWidget(self.remember)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if last:
            self._fill(last)

    def _fill(self, address: str) -> None:
        try:
            url = make_url(address)
        except Exception:
            return
        self.host.setText(url.host or "")
        self.port.setValue(url.port or 5432)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        self.tls.setChecked(url.query.get("sslmode") == "require")

    def address(self) -> URL:
        """The team workspace's address as typed, without a password."""
        query = {"sslmode": "require"} if self.tls.isChecked() else {}
        return URL.create(
            "postgresql+psycopg",
            username=self.user.text().strip() or None,
            host=self.host.text().strip() or "localhost",
            port=self.port.value(),
            database=self.database.text().strip() or None,
            query=query,
        )

    def _problem(self, text: str, field: QLineEdit | None = None) -> None:
        """Say ``text`` under ``field`` (and put the cursor there), else under the boxes."""
        for edit, label in self.field_errors.items():
            show_error(label, text if edit is field else "")
        show_error(self.error, "" if field is not None else text)
        # Tall enough for the sentence wrapped to the dialog's width (it grows no other way).
        self.rows.activate()
        needed = self.rows.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
        if field is not None:
            field.setFocus()

    def try_connect(self) -> None:
        url = self.address()
        if not url.database:
            self._problem("Give the name of the team workspace's database.", self.database)
            return
        if not url.username:
            self._problem("Give your user name on the server.", self.user)
            return
        typed = self.password.text()
        password = typed or saved_password(url)
        target = url.set(password=password) if password else url
        try:
            self.store = open_workspace(target.render_as_string(hide_password=False))
        except ServerRefusedError as exc:
            self._problem(str(exc), self.fields[exc.part] if exc.part else None)
            return
        except WorkspaceError as exc:
            self._problem(str(exc))
            return
        if typed and self.remember.isChecked():
            try:
                save_password(url, typed)
            except WorkspaceError as exc:
                self._problem(f"Connected, but {str(exc)[0].lower()}{str(exc)[1:]}")
        self._problem("")
        self.accept()


def ask_team_workspace(parent: QWidget | None, last: str) -> tuple[Store, str] | None:
    """Show the dialog; the opened store and its address (no password), or None."""
    dialog = ConnectDialog(parent, last)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.store is None:
        return None
    return dialog.store, dialog.address().render_as_string()
