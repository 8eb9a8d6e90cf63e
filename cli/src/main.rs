//! The `tdpr` binary: see the `tdpr_cli` library.

fn main() -> std::process::ExitCode {
    tdpr_cli::main()
}
