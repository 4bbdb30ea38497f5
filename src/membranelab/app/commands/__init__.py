"""The commands of ``membranelab``, one module each, run by :func:`membranelab.cli.main`
(:data:`membranelab.cli.COMMANDS`): each has ``run(args, out, err) -> exit code`` over the
argparse namespace and two rich consoles (stdout, stderr), and a function with explicit
arguments that tests and other front ends call.  A command raises ``CliError`` (or lets the
bank's ``BankError`` through) for a user's error; ``cli.main`` prints it as one line.
"""

__all__: list[str] = []
