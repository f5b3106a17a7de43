"""The page template and its style sheet. Kept in Python so that they install with the package; the
template only lays out a `conversations.web_page.Page`: it holds no text a person reads."""

from __future__ import annotations

PAGE = """<!doctype html>
<html lang="{{ page.html_language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ page.title }}</title>
<link rel="stylesheet" href="{{ css }}">
</head>
<body>
<header>
<p class="brand">{{ page.labels.survey }}</p>
{% if page.languages and page.position %}
<form method="post" action="{{ page.action }}" class="languages" aria-label="{{ page.labels.language }}">
<input type="hidden" name="csrf" value="{{ page.csrf }}">
<input type="hidden" name="p" value="{{ page.position }}">
{% for button in page.languages %}<button name="b" value="{{ button.action }}" \
lang="{{ languages[button.action[5:]] }}">{{ button.text }}</button>{% endfor %}
</form>
{% endif %}
</header>
<main>
<h1>{{ page.heading }}</h1>
{% if page.note %}<p class="note" role="status">{{ page.note }}</p>{% endif %}
{% if page.progress %}<p class="progress"><span>{{ page.progress[0] }} / {{ page.progress[1] }}</span>
<progress max="{{ page.progress[1] }}" value="{{ page.progress[0] }}" aria-label="{{ page.labels.progress }}">\
</progress></p>{% endif %}
{% for block in page.blocks %}<p>{% for line in block %}{{ line }}{% if not loop.last %}<br>{% endif %}\
{% endfor %}</p>
{% endfor %}
{% if page.position and (page.rows or page.text_box) %}
<form method="post" action="{{ page.action }}" class="screen">
<input type="hidden" name="csrf" value="{{ page.csrf }}">
<input type="hidden" name="p" value="{{ page.position }}">
{% if page.text_box %}<label for="comment">{{ page.text_box.label }}</label>
<textarea id="comment" name="t" rows="6">{{ page.text_box.value }}</textarea>
<div class="row"><button name="b" value="send" class="primary">{{ page.text_box.send }}</button></div>
{% endif %}
{% for row in page.rows %}<div class="row{% if row|length > 2 %} grid{% endif %}">{% for button in row %}\
<button name="b" value="{{ button.action }}"{% if button.action.startswith('lang:') %} \
lang="{{ languages[button.action[5:]] }}"{% endif %}>{% if button.hidden_prefix %}<span class="hidden">\
{{ button.hidden_prefix }} </span>{% endif %}{{ button.text }}</button>{% endfor %}</div>
{% endfor %}
</form>
{% endif %}
{% if page.link %}<p><a href="{{ page.link[1] }}">{{ page.link[0] }}</a></p>{% endif %}
</main>
<footer><p>{{ page.labels.privacy }}</p></footer>
</body>
</html>
"""

CSS = """*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
line-height:1.5;color:#1a1a1a;background:#fff;font-size:1rem}
header,main,footer{max-width:40rem;margin:0 auto;padding:.75rem 1rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;
border-bottom:1px solid #bbb}
.brand{margin:0;font-weight:600}
h1{font-size:1.375rem;line-height:1.3;margin:.5rem 0 1rem}
p{margin:0 0 1rem;overflow-wrap:anywhere}
.note{border-left:4px solid #0b5cad;background:#eef4fb;padding:.5rem .75rem}
.progress{display:flex;align-items:center;gap:.75rem;font-weight:600}
progress{flex:1;height:.75rem;min-width:4rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 .5rem}
button{font:inherit;font-size:1.0625rem;min-height:3rem;padding:.625rem 1rem;border:2px solid #0b5cad;
border-radius:.5rem;background:#fff;color:#0b3d73;text-align:left;cursor:pointer;flex:1 1 100%;
overflow-wrap:anywhere}
.grid button{flex:1 1 3.5rem;text-align:center;padding:.625rem .25rem}
button:hover{background:#eef4fb}
button:focus-visible,a:focus-visible,textarea:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.primary{background:#0b5cad;color:#fff}
.languages{display:flex;gap:.5rem}
.languages button{min-height:2.75rem;padding:.25rem .75rem;font-size:1rem;flex:0 0 auto}
label{display:block;font-weight:600;margin:0 0 .25rem}
textarea{display:block;width:100%;font:inherit;padding:.5rem;border:2px solid #555;border-radius:.5rem;
margin:0 0 .75rem;resize:vertical}
.hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{color:#444;font-size:.875rem;border-top:1px solid #bbb;margin-top:1rem}
a{color:#0b5cad}
"""
