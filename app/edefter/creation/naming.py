"""GİB's file names for a period's files: ``VKN-YYYYMM-Y-000001.xml``, ``-K-``, ``-YB-``, ``-KB-``, ``-DR-``.

The six digits are the part's sequence as its uniqueID carries it (YEV202403000001 → ``-Y-000001``), which is
also the number GİB's approved berat repeats (``GIB-VKN-YYYYMM-YB-000001``); the DR is always ``000000``. A
branch's files carry its Şube No after the VKN (decision note 0111: the branch form is not confirmed by GİB text).
"""

from __future__ import annotations


def file_name(identifier: str, year: int, month: int, code: str, sequence: int, branch_code: str = "") -> str:
    owner = f"{identifier}-{branch_code}" if branch_code else identifier
    return f"{owner}-{year:04d}{month:02d}-{code}-{sequence:06d}.xml"
