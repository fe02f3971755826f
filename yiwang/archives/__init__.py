"""电子档案 (GB/T 42727-2023 政务服务事项电子文件归档): the archival package (归档信息包) of every
closed case, its 四性检测 report (DA/T 70), retention (保管期限), export and disposal (销毁)."""
