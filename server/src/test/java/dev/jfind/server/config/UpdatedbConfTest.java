package dev.jfind.server.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** updatedb.conf as updatedb.plocate reads it (see updatedb.conf(5) and plocate's conf.cpp). */
class UpdatedbConfTest {
    private static final Path FILE = Path.of("/etc/updatedb.conf");

    @TempDir
    Path tmp;

    private static UpdatedbConf parse(String text) throws ConfigException {
        return UpdatedbConf.parse(FILE, text);
    }

    private static List<String> texts(List<UpdatedbConf.Value> values) {
        return values.stream().map(UpdatedbConf.Value::text).toList();
    }

    @Test
    void readsDebiansFileWithItsCommentedOutPrunenames() throws Exception {
        UpdatedbConf c = parse("PRUNE_BIND_MOUNTS=\"yes\"\n"
                + "# PRUNENAMES=\".git .bzr .hg .svn\"\n"
                + "PRUNEPATHS=\"/tmp /var/spool /media\"\n"
                + "PRUNEFS=\"NFS afs tmpfs\"\n");
        assertTrue(c.present());
        assertTrue(c.pruneBindMounts());
        assertEquals(1, c.pruneBindMountsLine());
        assertEquals(List.of(), c.pruneNames(), "a commented-out line sets nothing");
        assertEquals(List.of("/tmp", "/var/spool", "/media"), texts(c.prunePaths()));
        assertEquals(List.of("NFS", "afs", "tmpfs"), texts(c.pruneFs()));
        assertEquals(3, c.prunePaths().get(0).line());
    }

    @Test
    void whiteSpaceAndCommentsAnywhereOutsideQuotes() throws Exception {
        UpdatedbConf c = parse("\n   \t\n  PRUNENAMES \t=  \"  .git\t\t.hg  \"   # trailing comment\r\n"
                + "# PRUNEPATHS=\"/x\"\n"
                + "PRUNEPATHS=\"/a#b /c\"#no space needed");
        assertEquals(List.of(".git", ".hg"), texts(c.pruneNames()));
        assertEquals(List.of("/a#b", "/c"), texts(c.prunePaths()), "# inside quotes is part of the value");
        assertEquals(3, c.pruneNames().get(0).line());
        assertEquals(5, c.prunePaths().get(0).line());
    }

    @Test
    void missingKeysAndAnEmptyValueMeanNothingPruned() throws Exception {
        UpdatedbConf c = parse("PRUNEFS=\"\"\n");
        assertTrue(c.present());
        assertFalse(c.pruneBindMounts(), "plocate's default: bind mounts are entered");
        assertEquals(0, c.pruneBindMountsLine());
        assertEquals(List.of(), c.pruneFs());
        assertEquals(List.of(), c.pruneNames());
        assertEquals(List.of(), c.prunePaths());
    }

    @Test
    void pruneBindMountsTakesExactly0No1Yes() throws Exception {
        assertTrue(parse("PRUNE_BIND_MOUNTS=\"yes\"").pruneBindMounts());
        assertTrue(parse("PRUNE_BIND_MOUNTS=\"1\"").pruneBindMounts());
        assertFalse(parse("PRUNE_BIND_MOUNTS=\"no\"").pruneBindMounts());
        assertFalse(parse("PRUNE_BIND_MOUNTS=\"0\"").pruneBindMounts());
        for (String bad : List.of("YES", "true", " yes", "")) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse("PRUNE_BIND_MOUNTS=\"" + bad + "\""));
            assertTrue(e.getMessage().contains("invalid value '" + bad + "' of PRUNE_BIND_MOUNTS"), e.getMessage());
        }
    }

    @Test
    void errorsNameTheFileAndLineAsUpdatedbRefusesThem() {
        String[][] cases = {
            {"\nPRUNEFS=tmpfs", "/etc/updatedb.conf:2: value in quotes expected"},
            {"PRUNEFS=\"tmpfs", "/etc/updatedb.conf:1: missing closing '\"'"},
            {"PRUNEFS=\"tmp\nfs\"", "/etc/updatedb.conf:1: missing closing '\"'"},
            {"PRUNEFS \"tmpfs\"", "/etc/updatedb.conf:1: '=' expected after PRUNEFS"},
            {"PRUNEFS=\"a\" PRUNENAMES=\"b\"", "/etc/updatedb.conf:1: unexpected data after the value of PRUNEFS"},
            {"PRUNEFS=\"a\"\nPRUNEFS=\"b\"", "/etc/updatedb.conf:2: variable 'PRUNEFS' was already defined"},
            {"prunefs=\"a\"", "/etc/updatedb.conf:1: unknown variable 'prunefs'"},
            {"export PRUNEFS=\"a\"", "/etc/updatedb.conf:1: unknown variable 'export'"},
            {"=\"a\"", "/etc/updatedb.conf:1: variable name expected"},
            {"PRUNEFS='a'", "/etc/updatedb.conf:1: value in quotes expected"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void valuesAreBytes() throws Exception {
        byte[] name = {'o', 'd', 'd', (byte) 0xff};
        Path file = tmp.resolve("updatedb.conf");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("PRUNENAMES=\"".getBytes());
        out.writeBytes(name);
        out.writeBytes("\"\n".getBytes());
        Files.write(file, out.toByteArray());
        assertArrayEquals(name, UpdatedbConf.read(file).pruneNames().get(0).bytes());
    }

    @Test
    void aMissingFileGivesPlocatesDefaults() throws Exception {
        UpdatedbConf c = UpdatedbConf.read(tmp.resolve("absent.conf"));
        assertFalse(c.present());
        assertFalse(c.pruneBindMounts());
        assertEquals(List.of(), c.pruneFs());
        assertEquals(List.of(), c.pruneNames());
        assertEquals(List.of(), c.prunePaths());
    }
}
