"""The measure panels of the session and item pages, and their fragments."""

from dataclasses import replace

from django.template.loader import render_to_string

from dialogue import permissions
from dialogue.services.measures import measure_create, measure_withdraw
from tests.builders import CONTENT, login, propose
from tests.builders import measure_url as url
from tests.builders import page_text as page


def test_session_counts_fragment(client, d):
    cn = d.delegates["CN"][1]
    propose(d, "CN", title="A")
    withdrawn = propose(d, "CN", title="B")
    measure_withdraw(measure=withdrawn, by=cn)
    measure_create(proposer=cn, content=CONTENT, items=[d.items[(1, 1)]], propose=False)
    login(client, d.delegates["US"][1])
    counts = url("measure_session_counts", d, 1)

    response = client.get(counts, headers={"HX-Request": "true"})
    plain = client.get(counts)

    assert response.status_code == 200
    assert " ".join(page(response).split()) == (
        '<p class="measure-counts"> 2 measures on this session’s items: Proposed 1 '
        "· Under discussion 0 · Endorsed by one side 0 · Endorsed by both sides 0 "
        "· Withdrawn 1 </p>"
    )
    assert plain.status_code == 302
    assert plain["Location"] == url("measure_board", d, 1)


def test_session_page_panel_links_to_the_board(client, d):
    login(client, d.delegates["US"][1])

    response = client.get(d.sessions[1].get_absolute_url())

    assert f'href="{url("measure_board", d, 1)}"' in page(response)
    assert f'hx-get="{url("measure_session_counts", d, 1)}"' in page(response)


def test_item_list_fragment_shows_the_items_measures(client, d):
    propose(d, "CN", title="On item 1.1")
    measure_create(
        proposer=d.delegates["US"][1],
        content=replace(CONTENT, title="On item 1.2"),
        items=[d.items[(1, 2)]],
    )
    login(client, d.observer)
    path = url("measure_item_list", d, 1, 1)

    response = client.get(path, headers={"HX-Request": "true"})
    plain = client.get(path)
    missing = client.get(url("measure_item_list", d, 1, 9))

    assert response.status_code == 200
    assert "On item 1.1" in page(response)
    assert "On item 1.2" not in page(response)
    assert "<html" not in page(response)
    assert plain.status_code == 302
    assert plain["Location"] == url("measure_board", d, 1) + "?item=1"
    assert missing.status_code == 404


def test_item_panel_template_renders_with_the_item_page_context(rf, d):
    request = rf.get("/")
    request.user = d.delegates["CN"][1].user
    item = d.items[(2, 1)]

    html = render_to_string(
        "measure_item_panel.html",
        {
            "workshop": d.workshop,
            "participant": d.delegates["CN"][1],
            "item": item,
            "can": permissions.Can(d.delegates["CN"][1], item.session),
        },
        request=request,
    )

    assert f'hx-get="{url("measure_item_list", d, 2, 1)}"' in html
    assert f'href="{url("measure_board", d, 2)}?item=1"' in html
    assert f'href="{url("measure_create", d)}?item={d.items[(2, 1)].pk}"' in html
