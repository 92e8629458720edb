# Packaging: install, uninstall, dist, test-packaging (docs/INSTALL.md).
#
#   make install [PREFIX=/usr/local] [DESTDIR=] [INSTALL_LIBDIR=lib]
#   make uninstall [same variables]
#   make dist        build/dist/stytch_totp-<version>-<host triple>.tar.gz (.zip on Windows),
#                    and the Python wheel and sdist beside it (mk/python.mk)
#   make dist-archive the archive alone
#   make test-packaging
#
# `install` runs `make lib` first; NO_BUILD=1 skips that (for `sudo make install`
# after `make lib`, where cargo may not be on root's PATH).

PREFIX             ?= /usr/local
DESTDIR            ?=
INSTALL_LIBDIR     ?= lib
INSTALL_INCLUDEDIR ?= include
INSTALL_BINDIR     ?= bin
RUSTC              ?= rustc
CMAKE              ?= cmake
PKG_CONFIG         ?= pkg-config

PKG_VERSION := $(shell sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)
PKG_MAJOR   := $(firstword $(subst ., ,$(PKG_VERSION)))
PKG_HOST    := $(shell $(RUSTC) -vV 2>/dev/null | sed -n 's/^host: //p')
PKG_POINTER_WIDTH := $(shell $(RUSTC) --print cfg 2>/dev/null | sed -n 's/^target_pointer_width="\(.*\)"/\1/p')
PKG_PLATFORM := $(if $(findstring -apple-,$(PKG_HOST)),macos,$(if $(findstring -windows-msvc,$(PKG_HOST)),windows-msvc,$(if $(findstring -windows-gnu,$(PKG_HOST)),windows-gnu,linux)))
PKG_BUILD   := $(BUILD)/packaging
PKG_SCRIPT  := mk/packaging/install.sh
PKG_BUILD_DEP := $(if $(NO_BUILD),,lib)

# Where the soname points inside target/release, so that programs linked
# there (make demo, the tests) find the library at run time.
PKG_SONAME_LINK := $(if $(filter linux,$(PKG_PLATFORM)),libstytch_totp.so.$(PKG_MAJOR),$(if $(filter macos,$(PKG_PLATFORM)),libstytch_totp.$(PKG_MAJOR).dylib))
PKG_SHARED_NAME := $(if $(filter macos,$(PKG_PLATFORM)),libstytch_totp.dylib,libstytch_totp.so)

# The release archive.
PKG_DIST_NAME := stytch_totp-$(PKG_VERSION)-$(PKG_HOST)
PKG_DIST_DIR  := $(BUILD)/dist
PKG_DIST_EXT  := $(if $(findstring windows,$(PKG_PLATFORM)),zip,tar.gz)
PKG_ARCHIVE   := $(PKG_DIST_DIR)/$(PKG_DIST_NAME).$(PKG_DIST_EXT)

# What the Rust runtime in the static library needs, as rustc reports it for
# this toolchain and target (the dependencies' own C code, SQLite, is inside
# the archive). Kept in a file so that `sudo make install NO_BUILD=1` does not
# need rustc.
PKG_NATIVE_LIBS_FILE := $(PKG_BUILD)/native-static-libs.txt

PKG_ENV = PLATFORM='$(PKG_PLATFORM)' VERSION='$(PKG_VERSION)' SRC_LIBDIR='$(LIBDIR)' \
	POINTER_WIDTH='$(PKG_POINTER_WIDTH)' \
	INSTALL_LIBDIR='$(INSTALL_LIBDIR)' INSTALL_INCLUDEDIR='$(INSTALL_INCLUDEDIR)' \
	INSTALL_BINDIR='$(INSTALL_BINDIR)' \
	NATIVE_STATIC_LIBS="$$(cat '$(PKG_NATIVE_LIBS_FILE)' 2>/dev/null)"

.PHONY: install uninstall dist dist-archive test-packaging pkg-soname-link

lib: pkg-soname-link
test: test-packaging

pkg-soname-link:
ifneq ($(PKG_SONAME_LINK),)
	@mkdir -p $(LIBDIR) && ln -sf $(PKG_SHARED_NAME) $(LIBDIR)/$(PKG_SONAME_LINK)
endif

$(PKG_NATIVE_LIBS_FILE):
	@mkdir -p $(PKG_BUILD)/native-static-libs
	@printf '' > $(PKG_BUILD)/native-static-libs/lib.rs
	@$(RUSTC) --crate-type staticlib --crate-name stytch_totp_nsl --edition 2021 \
		--out-dir $(PKG_BUILD)/native-static-libs --print native-static-libs \
		$(PKG_BUILD)/native-static-libs/lib.rs 2>&1 \
		| sed -n 's/^note: native-static-libs: //p' > $@.tmp
	@test -s $@.tmp || { echo "could not read rustc --print native-static-libs" >&2; rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@
	@echo "native static libraries: $$(cat $@)"

# install records the directories it creates in build/packaging/installed/;
# uninstall removes them again when they are empty.
PKG_RECORD_DIR := $(PKG_BUILD)/installed

install: $(PKG_BUILD_DEP) $(PKG_NATIVE_LIBS_FILE)
	$(PKG_ENV) DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' RECORD_DIR='$(PKG_RECORD_DIR)' sh $(PKG_SCRIPT) install

uninstall:
	$(PKG_ENV) DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' RECORD_DIR='$(PKG_RECORD_DIR)' sh $(PKG_SCRIPT) uninstall

# A relocatable tree (the .pc file finds its prefix from its own location, the
# CMake package from its own), packed for the host platform.
dist: dist-archive
dist-archive: $(PKG_BUILD_DEP) $(PKG_NATIVE_LIBS_FILE)
	rm -rf $(PKG_DIST_DIR)/$(PKG_DIST_NAME) $(PKG_ARCHIVE) $(PKG_ARCHIVE).sha256
	$(PKG_ENV) DESTDIR='$(PKG_DIST_DIR)/$(PKG_DIST_NAME)' PREFIX= \
		PC_PREFIX='$${pcfiledir}/$(shell printf '%s\n' '$(INSTALL_LIBDIR)/pkgconfig' | sed 's|[^/][^/]*|..|g')' \
		sh $(PKG_SCRIPT) install
	cp LICENSE $(PKG_DIST_DIR)/$(PKG_DIST_NAME)/LICENSE
	cp docs/INSTALL.md $(PKG_DIST_DIR)/$(PKG_DIST_NAME)/INSTALL.md
	sed -e 's|@VERSION@|$(PKG_VERSION)|g' -e 's|@TARGET@|$(PKG_HOST)|g' mk/packaging/README.dist.md \
		> $(PKG_DIST_DIR)/$(PKG_DIST_NAME)/README.md
	mkdir -p $(PKG_DIST_DIR)/$(PKG_DIST_NAME)/examples/c $(PKG_DIST_DIR)/$(PKG_DIST_NAME)/examples/cpp
	cp examples/c/demo.c $(PKG_DIST_DIR)/$(PKG_DIST_NAME)/examples/c/
	cp examples/cpp/demo.cpp examples/cpp/CMakeLists.txt $(PKG_DIST_DIR)/$(PKG_DIST_NAME)/examples/cpp/
ifeq ($(PKG_DIST_EXT),zip)
	cd $(PKG_DIST_DIR) && 7z a -tzip -bd $(PKG_DIST_NAME).zip $(PKG_DIST_NAME) >/dev/null
else
	cd $(PKG_DIST_DIR) && COPYFILE_DISABLE=1 tar -czf $(PKG_DIST_NAME).tar.gz $(PKG_DIST_NAME)
endif
	cd $(PKG_DIST_DIR) && { sha256sum $(PKG_DIST_NAME).$(PKG_DIST_EXT) 2>/dev/null \
		|| shasum -a 256 $(PKG_DIST_NAME).$(PKG_DIST_EXT); } > $(PKG_DIST_NAME).$(PKG_DIST_EXT).sha256
	@echo "release archive: $(PKG_ARCHIVE)"

# Installs into build/packaging/ and builds C and C++ programs from there alone:
# tests/packaging/run.sh (about a minute once the library is built).
test-packaging: lib
	$(MAKE) --no-print-directory dist-archive NO_BUILD=1
	BUILD='$(PKG_BUILD)' MAKE='$(MAKE)' CC='$(CC)' CXX='$(CXX)' CMAKE='$(CMAKE)' \
		PKG_CONFIG='$(PKG_CONFIG)' VERSION='$(PKG_VERSION)' \
		HEADER='$(HEADER)' SHARED_LIB='$(SHARED_LIB)' STATIC_LIB='$(STATIC_LIB)' \
		ARCHIVE='$(PKG_ARCHIVE)' sh tests/packaging/run.sh
