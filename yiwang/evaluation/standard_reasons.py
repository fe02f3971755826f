"""The standard 差评 reasons (the kinds GB/T 39735 and the provinces' 好差评 systems list), as
(code, name). Migration 0002 writes them on a new database; ``reasons.ensure_standard`` writes
them again where a database lost them (the demo on a flushed test database)."""

STANDARD_REASONS = (
    ("guide_inaccurate", "办事指南不准确"),
    ("many_trips", "多次跑动"),
    ("overdue", "超时办理"),
    ("attitude", "服务态度差"),
    ("hard_to_use", "平台操作不便"),
    ("extra_materials", "要求提供额外材料"),
    ("long_wait", "排队等候时间长"),
    ("unclear_answer", "咨询答复不清楚"),
    ("other", "其他"),
)
ORDER_STEP = 10
