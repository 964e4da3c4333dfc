"""The backup's files on the controller: name, modes, and the oldest removed beyond the count to keep."""

import datetime
import os
import stat

from ansible_collections.multiwan.routeros.plugins.module_utils import backup_files

NOW = datetime.datetime(2026, 1, 21, 1, 17, 52, tzinfo=datetime.timezone.utc)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_export_is_saved_private_with_its_timestamp(tmp_path):
    folder = str(tmp_path / "backups" / "core")
    path = backup_files.save_export(folder, "core", "/routing table\n", NOW)
    assert path == os.path.join(folder, "core-20260121T011752Z.rsc")
    with open(path, encoding="utf-8") as handle:
        assert handle.read() == "/routing table\n"
    assert _mode(folder) == 0o700 and _mode(path) == 0o600


def test_the_oldest_exports_beyond_keep_go_and_other_files_stay(tmp_path):
    folder = str(tmp_path)
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (tmp_path / ("core-%s.rsc" % stamp)).write_text("x")
    (tmp_path / "core2-20250101T000000Z.rsc").write_text("another router")
    (tmp_path / "notes.txt").write_text("not an export")
    removed = backup_files.prune_exports(folder, "core", 2)
    assert removed == [os.path.join(folder, "core-20260101T000000Z.rsc")]
    assert sorted(os.listdir(folder)) == ["core-20260102T000000Z.rsc", "core-20260103T000000Z.rsc",
                                          "core2-20250101T000000Z.rsc", "notes.txt"]


def test_keep_zero_keeps_every_export(tmp_path):
    (tmp_path / "core-20260101T000000Z.rsc").write_text("x")
    assert backup_files.prune_exports(str(tmp_path), "core", 0) == []
    assert os.listdir(str(tmp_path)) == ["core-20260101T000000Z.rsc"]
