# dgdocs — two commands on a fresh machine: `make pdf` and `make test`.
# The first use creates .venv and installs the pinned dependencies (constraints.txt);
# `make pdf` and `make test` also install the BIZ UD fonts and HarfBuzz's font subsetter with apt when they are missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DGDOCS := $(BIN)/dgdocs
APT_FONTS := fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic
# Browser tests: Debian's Chromium (driven by playwright-core, never a downloaded browser),
# a Java runtime for the Nu Html Checker, and the Node packages pinned in tests/e2e/package-lock.json.
E2E        := tests/e2e
NODE_STAMP := $(E2E)/node_modules/.installed
CHROMIUM   := /usr/bin/chromium

.PHONY: schemas help html pdf data check test test-office test-web bench clean fonts venv diff serve browser-tools browser-apt pdf-tools office-apt web-apt

help:
	@echo "make pdf    — 全部をビルド（HTML・PDF・オープンデータ）→ build/"
	@echo "make html   — HTML サイトとオープンデータをビルド → build/html/ build/data/"
	@echo "             （検査でエラーがあると出力しない。作業中の版は make html DRAFT=1 で「案」として出力）"
	@echo "make check  — 整合性検査（エラーがあれば終了コード 1。受け入れ済みの指摘と理由も見るには ACCEPTED=1）"
	@echo "make schemas — VS Code 用の JSON Schema（docs/schemas/）を作り直す（読み込みの項目を変えたとき）"
	@echo "make serve  — 編集用プレビュー（http://127.0.0.1:8000/ 保存すると自動で再読み込み。PORT=… で番号を変更）"
	@echo "make test   — テスト一式（axe-core・Nu Html Checker・Chromium での端から端までの試験を含む）"
	@echo "make test-office — 照会票（Excel）を LibreOffice Calc で開く・印刷する・保存し直す試験（遅い）"
	@echo "make test-web — 公開したサイトの試験: nginx で配信し、LinkChecker でリンク切れ、Lighthouse で品質を確かめる（遅い）"
	@echo "make bench  — 速度の計測（中央値の表）"
	@echo "make clean  — build/ を削除"

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# BIZ UD明朝 / BIZ UDゴシック (Morisawa, OFL) and HarfBuzz's subsetter from Debian; apt needs one
# `apt-get update` first.  Without libharfbuzz-subset, WeasyPrint subsets the fonts with fontTools:
# other bytes, twice the time, and a warning in every job (a machine with Chromium has it already).
APT_PDF_LIBS := libharfbuzz-subset0
fonts:
	@need=""; \
	if fc-list 2>/dev/null | grep -q 'BIZ UDMincho' && fc-list 2>/dev/null | grep -q 'BIZ UDGothic'; then :; else need="$(APT_FONTS)"; fi; \
	if /sbin/ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'; then :; else need="$$need $(APT_PDF_LIBS)"; fi; \
	if [ -n "$$need" ]; then \
	  echo "PDF に必要なフォント・ライブラリがないため apt でインストールします:$$need"; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "エラー: apt-get がありません。次を手動でインストールしてください:$$need" >&2; exit 1; fi; \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null \
	    || { echo "エラー: インストールできませんでした（$$need）。ネットワークと権限を確かめてください。" >&2; exit 1; }; \
	  fc-list | grep -q 'BIZ UDMincho' || { echo "エラー: インストール後も BIZ UD明朝が見つかりません。" >&2; exit 1; }; \
	  /sbin/ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || { echo "エラー: インストール後も libharfbuzz-subset が見つかりません。" >&2; exit 1; }; \
	fi

# poppler-utils (pdftotext -bbox): the PDF tests read lines and their positions back from the PDFs.
pdf-tools:
	@if command -v pdftotext >/dev/null 2>&1; then :; else \
	  echo "PDF の試験に必要な poppler-utils を apt でインストールします"; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "エラー: apt-get がありません。poppler-utils を手動でインストールしてください。" >&2; exit 1; fi; \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
	    || { echo "エラー: poppler-utils をインストールできませんでした。ネットワークと権限を確かめてください。" >&2; exit 1; }; \
	fi

# Chromium and Java from Debian (one `apt-get update` first), only when missing.
browser-apt:
	@need=""; test -x $(CHROMIUM) || need="chromium"; command -v java >/dev/null 2>&1 || need="$$need default-jre-headless"; \
	if [ -n "$$need" ]; then \
	  echo "ブラウザのテストに必要なパッケージを apt でインストールします:$$need"; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "エラー: apt-get がありません。$$need を手動でインストールしてください。" >&2; exit 1; fi; \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null \
	    || { echo "エラー: $$need をインストールできませんでした。ネットワークと権限を確かめてください。" >&2; exit 1; }; \
	fi

# axe-core, playwright-core and vnu-jar exactly as locked; --ignore-scripts: vnu-jar's install
# script would fetch a Java runtime, and we use the system's.  No browser is downloaded.
$(NODE_STAMP): $(E2E)/package.json $(E2E)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "エラー: npm（Node.js 20 以上）がありません。Node.js をインストールしてください。" >&2; exit 1; }
	cd $(E2E) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

browser-tools: browser-apt $(NODE_STAMP)

# Values given on the command line (make diff OLD=…) reach the program as they are: make must not
# expand them (a $(shell …) inside would run) and the shell must not interpret them (quotes,
# backticks, $(…) and ; are legal in git branch names).  `override X := $(value X)` keeps the raw
# text; $(call q,…) single-quotes it for the shell.
override OLD      := $(value OLD)
override NEW      := $(value NEW)
override ORDER    := $(value ORDER)
override NOPDF    := $(value NOPDF)
override CONTENT  := $(value CONTENT)
override PORT     := $(value PORT)
override BASE_URL := $(value BASE_URL)
override DRAFT    := $(value DRAFT)
override ACCEPTED := $(value ACCEPTED)
q = '$(subst ','\'',$(1))'

# The build date on every page and in the PDFs: SOURCE_DATE_EPOCH when given, else the time of
# the last commit (reproducible: the same commit gives the same bytes); outside git, unset
# (dgdocs then uses the date of the latest revision).
SDE = $(if $(SOURCE_DATE_EPOCH),,$(if $(shell git log -1 --format=%ct 2>/dev/null),SOURCE_DATE_EPOCH=$(shell git log -1 --format=%ct 2>/dev/null),))

# DRAFT=1: publish even with check errors, marked 「案」 on every page
DRAFT_FLAG := $(if $(DRAFT),--draft,)
# BASE_URL=https://…/html/: canonical links and sitemap.xml for the place the site is published
BASE_FLAG := $(if $(BASE_URL),--base-url $(call q,$(BASE_URL)),)

html: $(STAMP)
	$(SDE) $(DGDOCS) build --html --data $(DRAFT_FLAG) $(BASE_FLAG)

data: $(STAMP)
	$(DGDOCS) build --data $(DRAFT_FLAG)

pdf: $(STAMP) fonts
	$(SDE) $(DGDOCS) build --html --data --pdf $(DRAFT_FLAG) $(BASE_FLAG)

# The editor's preview: rebuilds on save, reloads the browser, shows the findings (Ctrl-C stops).
# PORT=8001 for another port; CONTENT=dir to preview another content directory.
serve: $(STAMP)
	$(DGDOCS) $(if $(CONTENT),--content $(call q,$(CONTENT)),) serve $(if $(PORT),--port $(call q,$(PORT)),)

# ACCEPTED=1: list the accepted findings too, with the reasons in content/accepted.yaml
check: $(STAMP)
	$(DGDOCS) check $(if $(ACCEPTED),--accepted,)

# The JSON Schemas of content/'s YAML files for VS Code (docs/schemas/), made from the loader's specs
schemas: $(STAMP)
	$(DGDOCS) schemas --out docs/schemas

test: $(STAMP) fonts pdf-tools browser-tools
	$(DGDOCS) check --strict
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not office and not web" --junitxml=build/test-report.xml

# LibreOffice Calc (Debian libreoffice-calc, headless) opens, prints and re-saves the 照会票.
office-apt:
	@if command -v soffice >/dev/null 2>&1; then :; else \
	  echo "照会票の試験に必要な LibreOffice Calc を apt でインストールします: libreoffice-calc"; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "エラー: apt-get がありません。LibreOffice Calc を手動でインストールしてください。" >&2; exit 1; fi; \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc >/dev/null \
	    || { echo "エラー: libreoffice-calc をインストールできませんでした。ネットワークと権限を確かめてください。" >&2; exit 1; }; \
	fi

# nginx from Debian serves build/ as published (tests/test_published.py starts and stops its own
# server on 127.0.0.1; a service the package itself may have started is stopped again).
web-apt:
	@if [ -x /usr/sbin/nginx ]; then :; else \
	  echo "公開サイトの試験に必要な nginx を apt でインストールします"; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "エラー: apt-get がありません。nginx を手動でインストールしてください。" >&2; exit 1; fi; \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null \
	    || { echo "エラー: nginx をインストールできませんでした。ネットワークと権限を確かめてください。" >&2; exit 1; }; \
	  $$SUDO service nginx stop >/dev/null 2>&1 || true; \
	fi

# Lighthouse (tests/e2e, npm) in Debian's Chromium, LinkChecker (PyPI, pinned) and nginx.
test-web: $(STAMP) fonts browser-tools web-apt
	$(BIN)/python -m pytest -q -p no:cacheprovider -m web --junitxml=build/test-web-report.xml

test-office: $(STAMP) fonts office-apt
	DGDOCS_REQUIRE_OFFICE=1 $(BIN)/python -m pytest -q -p no:cacheprovider -m office --junitxml=build/test-office-report.xml

bench: $(STAMP) fonts browser-tools web-apt
	$(BIN)/python -m dgdocs.bench

# 新旧対照表 → build/diff/: make diff OLD=HEAD~1 [NEW=HEAD] [ORDER=old-left] [NOPDF=1]
# OLD and NEW are git revisions or content directories; NEW defaults to the working content/.
diff: $(STAMP) fonts
	@test -n $(call q,$(OLD)) || { echo "使い方: make diff OLD=<改定前の git リビジョンまたはディレクトリ> [NEW=<改定後>]（NEW の既定は作業中の content/）" >&2; exit 2; }
	$(DGDOCS) diff $(call q,$(OLD)) $(if $(NEW),$(call q,$(NEW)),) $(if $(ORDER),--order $(call q,$(ORDER)),) $(if $(NOPDF),--no-pdf,)

clean:
	rm -rf build
