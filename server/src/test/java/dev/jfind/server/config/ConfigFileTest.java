package dev.jfind.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    private static final Set<String> SINGLE = Set.of("socket", "threads");
    private static final Set<String> LISTS = Set.of("root");

    @TempDir
    Path tmp;

    private ConfigFile read(String text) throws Exception {
        Path file = tmp.resolve("jfindd.conf");
        Files.writeString(file, text);
        return ConfigFile.read(file, SINGLE, LISTS);
    }

    @Test
    void readsKeysValuesCommentsAndRepeatedKeys() throws Exception {
        ConfigFile conf = read("# a comment\n\n  socket = /run/x #not a comment\nroot=/a\nroot =  /b c  \n\t# indented\n");
        assertEquals(Optional.of("/run/x #not a comment"), conf.get("socket", Function.identity()));
        assertEquals(List.of("/a", "/b c"), conf.getAll("root", Function.identity()), "a value may hold spaces");
        assertEquals(Optional.empty(), conf.get("threads", Integer::valueOf));
        assertEquals(List.of(), ConfigFile.empty(tmp).getAll("root", Function.identity()));
    }

    @Test
    void everyErrorNamesTheFileLineAndKey() throws Exception {
        Map<String, String> cases = Map.of(
                "socket = /a\nsocks = /b\n", "jfindd.conf:2: unknown key 'socks'; known keys: root, socket, threads",
                "\n\nsocket\n", "jfindd.conf:3: expected 'key = value', found 'socket'",
                "threads =\n", "jfindd.conf:1: threads: no value after '='",
                "socket = /a\n#\nsocket = /b\n", "jfindd.conf:3: socket is already set on line 1; it takes one value");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ConfigException e = assertThrows(ConfigException.class, () -> read(c.getKey()), c.getKey());
            assertTrue(e.getMessage().endsWith(c.getValue()), e.getMessage());
            assertTrue(e.getMessage().startsWith(tmp.toString()), e.getMessage());
        }
    }

    @Test
    void aBadValueNamesTheLineAndKeyWithTheConvertersReason() throws Exception {
        ConfigFile conf = read("root = /a\n\nthreads = many\n");
        ConfigException e = assertThrows(ConfigException.class, () -> conf.get("threads", v -> {
            throw new IllegalArgumentException("'" + v + "' is not a number");
        }));
        assertEquals(tmp.resolve("jfindd.conf") + ":3: threads: 'many' is not a number", e.getMessage());
    }

    @Test
    void aMissingFileIsLeftToTheCaller() {
        assertThrows(NoSuchFileException.class, () -> ConfigFile.read(tmp.resolve("none.conf"), SINGLE, LISTS));
    }
}
