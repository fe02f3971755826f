"""The demo province (演示数据): 吉林省 with 长春市, 吉林市, 长春市朝阳区 and one 街道, their departments,
service halls and a hand-written catalogue of real service items, loaded through the service layer
by ``manage.py load_demo``. ``generator`` makes bulk items for benchmarks.

Addresses and telephone numbers are illustrative, not the real ones of the departments named.
"""
