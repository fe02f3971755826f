"""Rows read out of a mariadb-dump file: the MariaDB set's counts and audit head come from it."""

from __future__ import annotations

from yiwang.backups.sqldump import DumpContents

DUMP = r"""-- MariaDB dump 10.19
/*!40101 SET NAMES utf8mb4 */;
CREATE TABLE `empty_table` (
  `id` bigint(20) NOT NULL
) ENGINE=InnoDB;
CREATE TABLE `notes` (
  `id` bigint(20) NOT NULL
) ENGINE=InnoDB;
LOCK TABLES `notes` WRITE;
{notes}
INSERT INTO `notes` (`id`, `text`, `blob`) VALUES (4,'',NULL);
UNLOCK TABLES;
CREATE TABLE `supervision_audithead` (
  `id` bigint(20) NOT NULL
) ENGINE=InnoDB;
INSERT INTO `supervision_audithead` (`id`, `last_seq`, `last_hash`) VALUES (1,42,'ab12');
CREATE TABLE `row_per_line` (
  `id` bigint(20) NOT NULL
) ENGINE=InnoDB;
INSERT INTO `row_per_line` (`id`) VALUES (1),
(2),
(3);
""".format(notes=r"INSERT INTO `notes` (`id`, `text`, `blob`) VALUES (1,'a, b (c); d',NULL),"
                  r"(2,'it\'s \\ (\n)',0x28),(3,'),(',-4.5);")


def test_rows_are_counted_through_strings_with_brackets_escapes_and_line_breaks(tmp_path):
    path = tmp_path / "database.sql"
    path.write_text(DUMP)
    contents = DumpContents(path, keep=["notes", "supervision_audithead"])
    assert dict(contents.counts) == {"empty_table": 0, "notes": 4, "row_per_line": 3,
                                     "supervision_audithead": 1}
    assert contents.rows("notes", ["text", "id"]) == [
        ("a, b (c); d", 1), ("it's \\ (\n)", 2), ("),(", 3), ("", 4)]
    assert contents.rows("supervision_audithead", ["last_seq", "last_hash"]) == [(42, "ab12")]
