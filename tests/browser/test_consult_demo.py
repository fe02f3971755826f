"""智能咨询 on the demo: a visitor asks the box on the home page in their own words, reads the
answer in place (htmx) and follows its link to the right guide, where the quoted FAQ is."""

from urllib.parse import urlparse

from playwright.sync_api import expect


def test_the_consultation_box_answers_with_a_link_to_the_right_item(visitor):
    page = visitor()
    page.goto("/")
    box = page.get_by_role("region", name="智能咨询")
    box.get_by_role("textbox", name="您的问题").fill("身份证丢了，能在外地补办吗？")
    box.get_by_role("button", name="提问").click()

    answer = box.locator(".consult-result")
    expect(answer).to_have_attribute("data-known", "true")
    expect(answer.locator(".consult-passage")).to_contain_text("全国通办")
    assert urlparse(page.url).path == "/"  # answered in place, without leaving the page
    answer.get_by_role("link", name="居民身份证补领").click()

    page.wait_for_url("**/items/*/#faqs")
    expect(page.get_by_role("heading", level=1)).to_have_text("居民身份证补领")
    expect(page.get_by_role("region", name="常见问题")).to_contain_text("身份证丢了可以在外地补办吗？")
