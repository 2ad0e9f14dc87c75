package io.tidemark.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Parameters;

/**
 * {@code tidemark help [COMMAND...]}: the usage of any command, however deep
 * ({@code tidemark help snapshot build}); picocli's own help command only looks one level down.
 */
@Command(name = "help", helpCommand = true, description = "Show the usage of a command: help snapshot build")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command, with its parents")
    String[] commands = {};

    private CommandLine self;
    private Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : commands) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(self, "unknown command '" + name + "' under '"
                        + target.getCommandName() + "'; its commands: " + target.getSubcommands().keySet());
            }
            target = sub;
        }
        target.usage(out, colors);
    }
}
