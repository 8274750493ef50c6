"""The Jupyter kernel conformance suite (jupyter_kernel_test), every test on."""
from __future__ import annotations

import unittest

import jupyter_kernel_test as jkt

# Rust cells compile before they run: allow for that here only.
jkt.TIMEOUT = 120


class CollmKernelTests(jkt.KernelTests):
    kernel_name = "collm"
    language_name = "rust"
    file_extension = ".rs"

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # Wait for evcxr's warm-up so the first test does not pay for it.
        cls.kc.execute_interactive("1", timeout=120)

    code_hello_world = 'println!("hello, world");'
    code_stderr = 'eprintln!("something went wrong");'
    completion_samples = [
        {"text": "%lsma", "matches": {"%lsmagic"}},
        {"text": "%%ti", "matches": {"%%time"}},
        {"text": "%env --he", "matches": {"--help"}},
    ]
    complete_code_samples = ["1+1", "let x = 1;", "fn f() { }", 'let s = "}";', "%pwd"]
    incomplete_code_samples = ["fn f() {", "let v = vec![1,", 'let s = "abc']
    invalid_code_samples = ["fn f() }", ")", "let x = (1];"]
    code_page_something = "%lsmagic?"
    code_generate_error = 'panic!("this cell fails")'
    code_execute_result = [
        {"code": "1+1", "result": "2"},
        {"code": '"hi".to_string() + " there"', "result": '"hi there"'},
    ]
    code_display_data = [
        {"code": 'collm::display("text/html", "<b>bold</b>")', "mime": "text/html"},
        {"code": 'collm::display("text/markdown", "*md*")', "mime": "text/markdown"},
    ]
    code_history_pattern = "1?1"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "%time"
    code_clear_output = "collm::clear_output(false)"


class CollmIopubWelcome(jkt.IopubWelcomeTests):
    kernel_name = "collm"
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()
