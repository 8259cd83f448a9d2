# Front-end assets of the console, installed at build time from the npm registry (never a CDN).
# Called by the Makefile's `assets` target: make -f src/redline/web/assets.mk
ECHARTS_VERSION := 5.6.0
BUILD_DIR := build/assets
VENDOR := src/redline/web/console/static/vendor
ECHARTS := $(VENDOR)/echarts.min.js
# axe-core checks accessibility in the browser tests; it is a test tool, so it is vendored
# beside the build, not into the console's static files (the console never serves it)
AXE_VERSION := 4.10.3
AXE := build/vendor/axe.min.js

.PHONY: all
all: $(ECHARTS) $(AXE)

$(AXE): src/redline/web/assets.mk
	mkdir -p $(BUILD_DIR) build/vendor
	cd $(BUILD_DIR) && npm install --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	cp $(BUILD_DIR)/node_modules/axe-core/axe.min.js $@
	cp $(BUILD_DIR)/node_modules/axe-core/LICENSE build/vendor/AXE-LICENSE.txt

$(ECHARTS): src/redline/web/assets.mk
	mkdir -p $(BUILD_DIR) $(VENDOR)
	cd $(BUILD_DIR) && npm install --no-save --no-audit --no-fund --silent echarts@$(ECHARTS_VERSION)
	cp $(BUILD_DIR)/node_modules/echarts/dist/echarts.min.js $@
	cp $(BUILD_DIR)/node_modules/echarts/LICENSE $(VENDOR)/ECHARTS-LICENSE.txt
