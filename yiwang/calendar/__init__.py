"""工作日历: statutory holidays (法定节假日) and make-up working days (调休上班日) per region, and the
working-day arithmetic (承诺时限 with 补正 / 特别程序 stops) that case deadlines are computed with."""
