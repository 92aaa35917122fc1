// Every designator form: same line, @+N, @-N, @above, @below.
// RUN: mlopt %s --split-input-file --verify-diagnostics

%x = "foo.unknown"() : () -> i32 // expected-error {{Operation foo.unknown is not registered}}

// -----

// expected-error@+2 {{not registered}}

%x = "foo.unknown"() : () -> i32

// -----

%x = "foo.unknown"() : () -> i32

// expected-error@-2 {{not registered}}

// -----

%x = "foo.unknown"() : () -> i32
// expected-error@above {{not registered}}

// -----

// expected-error@below {{not registered}}
%x = "foo.unknown"() : () -> i32
