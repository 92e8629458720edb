# C tests of the ABI: strict warnings, then ASan+UBSan, then valgrind memcheck.

C_TEST_LINK := -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp
CXXFLAGS_STRICT := -std=c++17 -Wall -Wextra -Wpedantic -Werror -Iinclude
SANITIZE := -g -fsanitize=address,undefined -fno-sanitize-recover=all
RUN_SANITIZED := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
MEMCHECK := valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	--error-exitcode=1

.PHONY: test-c test-c-sanitizers test-c-valgrind
test: test-c
test-c: test-c-sanitizers test-c-valgrind

# $(call checked_program,NAME,COMPILE,SOURCE): the test program SOURCE, built
# with COMPILE and run once under ASan+UBSan and once under valgrind.
define checked_program
.PHONY: test-c-$(1)-sanitizers test-c-$(1)-valgrind
test-c-sanitizers: test-c-$(1)-sanitizers
test-c-valgrind: test-c-$(1)-valgrind
test-c-$(1)-sanitizers: lib | $$(BUILD)
	$(2) $$(SANITIZE) $(3) $$(C_TEST_LINK) -o $$(BUILD)/test_$(1)_asan
	$$(RUN_SANITIZED) $$(BUILD)/test_$(1)_asan
test-c-$(1)-valgrind: lib | $$(BUILD)
	$(2) -g $(3) $$(C_TEST_LINK) -o $$(BUILD)/test_$(1)
	$$(MEMCHECK) $$(BUILD)/test_$(1)
endef

# The ABI; the QR helpers; the C++ wrapper's QR helpers (include/stytch_totp.hpp).
$(eval $(call checked_program,abi,$$(CC) $$(CFLAGS_STRICT),tests/c/test_abi.c))
$(eval $(call checked_program,qr,$$(CC) $$(CFLAGS_STRICT),tests/c/test_qr.c))
$(eval $(call checked_program,hpp_qr,$$(CXX) $$(CXXFLAGS_STRICT),tests/c/test_hpp_qr.cpp))

# The C walk-through frees everything on its success path and on each error
# path (every library call it makes, failed in turn): tests/demo/run.sh.
.PHONY: test-c-demo
test-c: test-c-demo
test-c-demo: lib | $(BUILD)
	CC='$(CC)' BUILD='$(BUILD)' LIBDIR='$(LIBDIR)' CFLAGS_STRICT='$(CFLAGS_STRICT)' sh tests/demo/run.sh
