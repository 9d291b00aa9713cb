package dev.jfind.dist;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * The picocli model of a command-line class, as the program itself defines it, so what is
 * generated from it never lags behind the flags. Stateless.
 */
final class CliModels {
    private CliModels() {}

    /** The command line of {@code className}, with its subcommands and mixins. */
    static CommandLine of(String className) throws ClassNotFoundException {
        return new CommandLine(Class.forName(className), new ModelOnlyFactory());
    }

    /**
     * Builds the command objects picocli reads the model from. The CLI classes take their
     * collaborators (environment, streams) in a constructor that only stores them; the model
     * needs none, and nothing here ever runs a command, so they are passed as null or zero.
     */
    private static final class ModelOnlyFactory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            Constructor<?>[] constructors = cls.getDeclaredConstructors();
            if (cls.isInterface() || constructors.length == 0) {
                return CommandLine.defaultFactory().create(cls); // collections, converters
            }
            Constructor<?> fewest = constructors[0];
            for (Constructor<?> c : constructors) {
                if (c.getParameterCount() < fewest.getParameterCount()) {
                    fewest = c;
                }
            }
            fewest.setAccessible(true);
            Class<?>[] types = fewest.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                args[i] = zero(types[i]);
            }
            return cls.cast(fewest.newInstance(args));
        }

        private static Object zero(Class<?> type) {
            if (!type.isPrimitive()) {
                return null;
            }
            if (type == boolean.class) {
                return false;
            }
            if (type == char.class) {
                return '\0';
            }
            if (type == long.class) {
                return 0L;
            }
            if (type == double.class) {
                return 0.0;
            }
            if (type == float.class) {
                return 0f;
            }
            if (type == byte.class) {
                return (byte) 0;
            }
            if (type == short.class) {
                return (short) 0;
            }
            return 0;
        }
    }
}
