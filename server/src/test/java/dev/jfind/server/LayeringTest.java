package dev.jfind.server;

import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The server's packages depend on each other one way, as README's "Architecture" section
 * draws them: an import from a lower floor to a higher one, or a loop between packages or
 * between files, fails here. Checked over the compiled main classes (not the tests).
 */
class LayeringTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.jfind.server");

    @Test
    void noPackageImportsFromAFloorAboveIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                // the floor: values and helpers that know no CLI, daemon or transport
                .layer("floor").definedBy("..server.config..", "..server.status..", "..server.fs..",
                        "..server.concurrent..")
                .layer("crawl").definedBy("..server.crawl..")
                .layer("watch").definedBy("..server.watch..")
                .layer("match").definedBy("..server.match..")
                .layer("index").definedBy("..server.index..")
                .layer("query").definedBy("..server.query..")
                .layer("access").definedBy("..server.access..")
                .layer("transport").definedBy("..server.rpc..", "..server.metrics..")
                .layer("update").definedBy("..server.update..")
                .layer("top").definedBy("dev.jfind.server")

                .whereLayer("floor").mayOnlyAccessLayers("floor")
                .whereLayer("crawl").mayOnlyAccessLayers("floor")
                .whereLayer("watch").mayOnlyAccessLayers("floor", "crawl")
                .whereLayer("match").mayOnlyAccessLayers("floor", "crawl")
                .whereLayer("index").mayOnlyAccessLayers("floor", "crawl", "match")
                .whereLayer("query").mayOnlyAccessLayers("floor", "crawl", "match")
                .whereLayer("access").mayOnlyAccessLayers("floor", "crawl", "match", "index")
                .whereLayer("transport").mayOnlyAccessLayers("floor", "crawl", "match", "index", "query", "access")
                .whereLayer("update").mayOnlyAccessLayers("floor", "crawl", "watch", "index")
                .whereLayer("top").mayNotBeAccessedByAnyLayer()
                .check(SERVER);
    }

    @Test
    void transportPackagesDoNotUseEachOther() {
        // rpc and metrics share a floor: each reads the status, neither the other
        slices().matching("dev.jfind.server.(rpc|metrics)..").should().notDependOnEachOther().check(SERVER);
    }

    @Test
    void packagesHaveNoImportLoop() {
        slices().matching("dev.jfind.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void filesHaveNoImportLoop() {
        slices().assignedFrom(BY_FILE).should().beFreeOfCycles()
                // The one loop allowed: PathFilter's factory builds SubstringSet, its own
                // subclass (a closed hierarchy, as a sealed class with its permitted subclass)
                .ignoreDependency(nameStartingWith("dev.jfind.server.match.SubstringSet"),
                        nameStartingWith("dev.jfind.server.match.PathFilter"))
                .check(SERVER);
    }

    /** One slice per source file: a top-level class with its nested and anonymous classes. */
    private static final SliceAssignment BY_FILE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            JavaClass outer = javaClass;
            while (outer.getEnclosingClass().isPresent()) {
                outer = outer.getEnclosingClass().get();
            }
            return SliceIdentifier.of(outer.getName());
        }

        @Override
        public String getDescription() {
            return "source files of dev.jfind.server";
        }
    };
}
