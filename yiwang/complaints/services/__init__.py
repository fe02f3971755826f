"""12345 services: ``requests`` (the life of a 诉求工单: submission, 派单, 签收, 退单 and 仲裁, 答复,
评价, 回访, 重办, 合并, 超期督办) and ``deadlines`` (reply deadlines by region and kind). Pages, the
API, commands and tasks call these; none repeats their rules."""
