"""The local mail server's folder, as a person or a test reads it while messages arrive."""

from pathlib import Path

from services.notifications.mail_server import read_folder

MESSAGE = b"To: head.117083@schools.example\r\nSubject: Your booking\r\n\r\nConfirmed.\r\n"


def test_a_message_still_being_written_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "1-000001.eml").write_bytes(MESSAGE)
    (tmp_path / ".2-000002.eml").write_bytes(MESSAGE[:20])

    [message] = read_folder(tmp_path)

    assert message["Subject"] == "Your booking"


def test_messages_are_read_oldest_first(tmp_path: Path) -> None:
    (tmp_path / "2-000002.eml").write_bytes(MESSAGE.replace(b"Your booking", b"Second"))
    (tmp_path / "1-000001.eml").write_bytes(MESSAGE)

    assert [message["Subject"] for message in read_folder(tmp_path)] == ["Your booking", "Second"]
