// --load-plugin of a .py file: its pass and its pipeline (which names the
// plugin's own pass) run from the driver.
// RUN: mlopt --load-plugin %S/Inputs/counter.py %s -p count-ops | filecheck %s
// RUN: mlopt --load-plugin %S/Inputs/counter.py %s -p 'builtin.module(cse-then-count)' | filecheck %s --check-prefix=CSE
// RUN: mlopt --load-plugin %S/Inputs/counter.py --list-passes | filecheck %s --check-prefix=LIST
// Loading the installed example plugin again by module name is not a clash.
// RUN: mlopt --load-plugin mlopt_example_plugin %s -p count-ops --load-plugin %S/Inputs/counter.py | filecheck %s

// CHECK: builtin.module attributes {count_ops.n = 5 : i64}
// CSE: builtin.module attributes {count_ops.n = 4 : i64}
// LIST: {{^plugin 'counter' \(.*counter.py'?\):$}}
// LIST-NEXT: {{^  count-ops }}
// LIST-NEXT: {{^  cse-then-count .*cse,count-ops}}
func.func @f(%a: i32) -> i32 {
  %b = arith.addi %a, %a : i32
  %c = arith.addi %a, %a : i32
  %d = arith.muli %b, %c : i32
  func.return %d : i32
}
