# Windows, proven on Linux: the library cross-compiled for x86_64-pc-windows-gnu
# with mingw-w64 (stytch_totp.dll and its import library), its exports checked
# against the header, every C test in tests/c/ built against the DLL with
# strict warnings and run under Wine. See docs/INSTALL.md ("Windows").
# Wine 8 (Debian 12) lacks bcryptprimitives.dll, where Rust's standard
# library gets random bytes on Windows 10+: tests/windows/bcryptprimitives.c
# stands in for it under such a Wine, and only there.
#
# The Debian packages (mingw-w64, Wine) and the rustup target are installed
# when missing. Wine that cannot start, or a test that fails under it, fails
# the target: nothing here is skipped.

WIN_TARGET  := x86_64-pc-windows-gnu
WIN_LIBDIR  := $(CURDIR)/target/$(WIN_TARGET)/release
WIN_BUILD   := $(BUILD)/windows
WIN_CC      := x86_64-w64-mingw32-gcc
WIN_OBJDUMP := x86_64-w64-mingw32-objdump
WIN_PACKAGES := gcc-mingw-w64-x86-64 wine64 wine
WIN_C_TESTS := $(wildcard tests/c/*.c)
WINE        ?= wine
# A private 64-bit prefix under build/, no debug chatter, no Mono/Gecko
# installers (console programs need neither), no display.
WINE_ENV    := WINEPREFIX='$(WIN_BUILD)/wineprefix' WINEARCH=win64 WINEDEBUG=-all \
	WINEDLLOVERRIDES='mscoree,mshtml=' DISPLAY=

.PHONY: test-windows windows-lib windows-tools
test: test-windows

windows-tools:
	@dpkg -s $(WIN_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $(WIN_PACKAGES); } \
		|| { echo "windows: cannot install $(WIN_PACKAGES) (Debian packages)" >&2; exit 1; }
	@rustup target list --installed | grep -qx $(WIN_TARGET) || rustup target add $(WIN_TARGET) \
		|| { echo "windows: cannot add the Rust target $(WIN_TARGET) (rustup target add $(WIN_TARGET))" >&2; exit 1; }

windows-lib: windows-tools
	$(CARGO) build --release --locked --target $(WIN_TARGET)

# The first start of a prefix takes half a minute; its output goes to a log,
# shown only when it fails.
$(WIN_BUILD)/wineprefix/.ready: | windows-tools
	rm -rf $(WIN_BUILD)/wineprefix
	mkdir -p $(WIN_BUILD)
	$(WINE_ENV) $(WINE) wineboot --init > $(WIN_BUILD)/wineboot.log 2>&1 \
		|| { cat $(WIN_BUILD)/wineboot.log; echo "windows: Wine cannot create its prefix" >&2; exit 1; }
	$(WINE_ENV) wineserver --wait
	touch $@

test-windows: windows-lib $(WIN_BUILD)/wineprefix/.ready
	OBJDUMP=$(WIN_OBJDUMP) CC=$(WIN_CC) sh tests/packaging/check-exports.sh $(WIN_LIBDIR)/stytch_totp.dll $(HEADER)
	@imports=$$($(WIN_OBJDUMP) -p $(WIN_LIBDIR)/stytch_totp.dll | sed -n 's/^[[:space:]]*DLL Name: //p' | tr '\n' ' '); \
		echo "stytch_totp.dll imports: $$imports"; \
		case " $$imports" in *libgcc* | *libwinpthread* | *libstdc++*) \
			echo "windows: stytch_totp.dll needs a mingw runtime DLL: $$imports" >&2; exit 1 ;; esac
	cp $(WIN_LIBDIR)/stytch_totp.dll $(WIN_BUILD)/
	@rm -f $(WIN_BUILD)/bcryptprimitives.dll
	@if [ ! -f $(WIN_BUILD)/wineprefix/drive_c/windows/system32/bcryptprimitives.dll ]; then \
		echo "this Wine lacks bcryptprimitives.dll (Windows 10+ has it): tests/windows/bcryptprimitives.c stands in"; \
		$(WIN_CC) $(CFLAGS_STRICT) -shared tests/windows/bcryptprimitives.c -lbcrypt -o $(WIN_BUILD)/bcryptprimitives.dll; \
	fi
	@test -n "$(WIN_C_TESTS)" || { echo "windows: no C tests in tests/c/" >&2; exit 1; }
	@for src in $(WIN_C_TESTS); do \
		exe=$(WIN_BUILD)/$$(basename $$src .c).exe; \
		echo "$(WIN_CC) $(CFLAGS_STRICT) $$src -> $$exe"; \
		$(WIN_CC) $(CFLAGS_STRICT) $$src $(WIN_LIBDIR)/libstytch_totp.dll.a -o $$exe || exit 1; \
		$(WIN_OBJDUMP) -p $$exe | grep -q 'DLL Name: stytch_totp.dll' \
			|| { echo "windows: $$exe does not load stytch_totp.dll" >&2; exit 1; }; \
		echo "wine $$(basename $$exe)"; \
		(cd $(WIN_BUILD) && $(WINE_ENV) $(WINE) $$(basename $$exe)) \
			|| { status=$$?; $(WINE_ENV) wineserver --kill; echo "windows: $$exe failed under Wine (exit $$status)" >&2; exit 1; }; \
	done
	$(WINE_ENV) wineserver --kill
