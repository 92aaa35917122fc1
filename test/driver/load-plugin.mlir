// --load-plugin loads a plugin from a .py file (or a module name); its passes and
// pipelines run like built-in ones. Repeating the flag loads several plugins.
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-tag | filecheck %s
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py --load-plugin %S/Inputs/second_plugin.py -p 'test-driver-tag,test-second-tag' | filecheck %s --check-prefix=TWO
// RUN: env PYTHONPATH=%S/Inputs mlopt %s --load-plugin second_plugin -p test-second-tag | filecheck %s --check-prefix=MODULE
// RUN: not mlopt %s -p test-driver-tag 2>&1 | filecheck %s --check-prefix=NOPLUGIN

// CHECK: func.func @f() attributes {driver.tag = "seenx1"}
// TWO: func.func @f() attributes {driver.tag = "seenx1", second.tag}
// MODULE: func.func @f() attributes {second.tag}
// NOPLUGIN: mlopt: error: unknown pass 'test-driver-tag'
func.func @f() {
  func.return
}
