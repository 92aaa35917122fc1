// Pass options in braces, in both pipeline syntaxes, on a plugin pass and an xDSL pass.
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p 'test-driver-tag{label=hi count=3}' | filecheck %s
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p 'builtin.module(test-driver-tag{count=3 label=hi})' | filecheck %s
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p 'test-driver-tag' | filecheck %s --check-prefix=DEFAULT
// RUN: mlopt %s -p 'arith-add-fastmath{flags=fast}' | filecheck %s --check-prefix=FASTMATH

// CHECK: func.func @f(%a: f32) -> f32 attributes {driver.tag = "hix3"}
// DEFAULT: attributes {driver.tag = "seenx1"}
// FASTMATH: arith.addf %a, %a fastmath<fast> : f32
func.func @f(%a: f32) -> f32 {
  %0 = arith.addf %a, %a : f32
  func.return %0 : f32
}
