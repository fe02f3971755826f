"""The service hall (一门、一窗): halls' windows, queues, stationed items and opening hours,
staff rosters and window sign-in, appointments (预约), queue tickets and calling (排队叫号),
the 一窗受理 front desk, 统一出件 hand-over, 帮办代办 and self-service terminals (自助终端).

A walk-in, a booked visitor and an online applicant end up in the same case pipeline
(``yiwang.cases``): the hall only adds who stood where and when, traced from booking to result."""
