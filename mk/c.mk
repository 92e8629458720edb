# C tests of the ABI: strict warnings, then ASan+UBSan, then valgrind memcheck.

C_TEST_SRC := tests/c/test_abi.c
C_TEST_LINK := -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp

.PHONY: test-c test-c-sanitizers test-c-valgrind
test: test-c
test-c: test-c-sanitizers test-c-valgrind

test-c-sanitizers: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(C_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_abi_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_abi_asan

test-c-valgrind: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -g $(C_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_abi
	valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=1 $(BUILD)/test_abi

# The QR helpers: their own program, under the same two checkers.
C_QR_TEST_SRC := tests/c/test_qr.c
test-c-sanitizers: test-c-qr-sanitizers
test-c-valgrind: test-c-qr-valgrind
.PHONY: test-c-qr-sanitizers test-c-qr-valgrind
test-c-qr-sanitizers: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(C_QR_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_qr_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_qr_asan

test-c-qr-valgrind: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -g $(C_QR_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_qr
	valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=1 $(BUILD)/test_qr

# The session functions: their own program, under the same two checkers.
C_SESSIONS_TEST_SRC := tests/c/test_sessions.c
test-c-sanitizers: test-c-sessions-sanitizers
test-c-valgrind: test-c-sessions-valgrind
.PHONY: test-c-sessions-sanitizers test-c-sessions-valgrind
test-c-sessions-sanitizers: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(C_SESSIONS_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_sessions_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_sessions_asan

test-c-sessions-valgrind: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -g $(C_SESSIONS_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_sessions
	valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=1 $(BUILD)/test_sessions

# The C walk-through frees everything on its success path and on each error
# path (every library call it makes, failed in turn): tests/demo/run.sh.
.PHONY: test-c-demo
test-c: test-c-demo
test-c-demo: lib | $(BUILD)
	CC='$(CC)' BUILD='$(BUILD)' LIBDIR='$(LIBDIR)' CFLAGS_STRICT='$(CFLAGS_STRICT)' sh tests/demo/run.sh

# The C++ wrapper's QR helpers (include/stytch_totp.hpp), under the same two
# checkers.
CXX_QR_TEST_SRC := tests/c/test_hpp_qr.cpp
CXXFLAGS_STRICT := -std=c++17 -Wall -Wextra -Wpedantic -Werror -Iinclude
test-c-sanitizers: test-cxx-qr-sanitizers
test-c-valgrind: test-cxx-qr-valgrind
.PHONY: test-cxx-qr-sanitizers test-cxx-qr-valgrind
test-cxx-qr-sanitizers: lib | $(BUILD)
	$(CXX) $(CXXFLAGS_STRICT) -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(CXX_QR_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_hpp_qr_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_hpp_qr_asan

test-cxx-qr-valgrind: lib | $(BUILD)
	$(CXX) $(CXXFLAGS_STRICT) -g $(CXX_QR_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_hpp_qr
	valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=1 $(BUILD)/test_hpp_qr

# The C++ wrapper's sessions, under the same two checkers.
CXX_SESSIONS_TEST_SRC := tests/c/test_hpp_sessions.cpp
test-c-sanitizers: test-cxx-sessions-sanitizers
test-c-valgrind: test-cxx-sessions-valgrind
.PHONY: test-cxx-sessions-sanitizers test-cxx-sessions-valgrind
test-cxx-sessions-sanitizers: lib | $(BUILD)
	$(CXX) $(CXXFLAGS_STRICT) -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(CXX_SESSIONS_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_hpp_sessions_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_hpp_sessions_asan

test-cxx-sessions-valgrind: lib | $(BUILD)
	$(CXX) $(CXXFLAGS_STRICT) -g $(CXX_SESSIONS_TEST_SRC) $(C_TEST_LINK) -o $(BUILD)/test_hpp_sessions
	valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=1 $(BUILD)/test_hpp_sessions
