/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The shape of core that docs/ARCHITECTURE.md draws, checked on its compiled classes: no two packages depend on
 * each other, however long the loop, and Netty is seen by the transport packages only. Each rule is
 * also run once against a small fixture that breaks it, so a rule that can no longer fail is noticed.
 */
class ArchitectureTest {

    private static final String ROOT = "io.switchboard";

    /** Core's own classes, without its tests (and so without the fixtures below). */
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    /**
     * Every package is a slice of its own, the root package and each subpackage too, so that a loop
     * between {@code io.switchboard} and {@code routing}, or between two parts of {@code transport},
     * counts as much as any other.
     */
    static final ArchRule PACKAGES_FORM_NO_CYCLE =
            slices().assignedFrom(new EachPackage()).should().beFreeOfCycles();

    static final ArchRule NETTY_STAYS_IN_TRANSPORT = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + ".transport..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.netty..")
            .because("the API speaks Switchboard's own types and ByteBuf reference counting never leaves"
                    + " the transport (docs/ARCHITECTURE.md)");

    @Test
    void noPackageCycles() {
        PACKAGES_FORM_NO_CYCLE.check(CORE);
    }

    @Test
    void nettyOnlyInTransport() {
        NETTY_STAYS_IN_TRANSPORT.check(CORE);
    }

    @Test
    void theCycleRuleFailsOnACycle() {
        JavaClasses cyclic = new ClassFileImporter().importPackages(ROOT + ".architecture.cyclic");
        assertThatThrownBy(() -> PACKAGES_FORM_NO_CYCLE.check(cyclic))
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("architecture.cyclic.left")
                .hasMessageContaining("architecture.cyclic.right");
    }

    @Test
    void theNettyRuleFailsOnNettyOutsideTransport() {
        JavaClasses leaky = new ClassFileImporter().importPackages(ROOT + ".architecture.leaky");
        assertThatThrownBy(() -> NETTY_STAYS_IN_TRANSPORT.check(leaky)).hasMessageContaining("ByteBuf");
    }

    /** One slice per package under {@value #ROOT}, the root included; other classes are ignored. */
    private static final class EachPackage implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (name.equals(ROOT) || name.startsWith(ROOT + ".")) {
                return SliceIdentifier.of(name);
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "each package under " + ROOT;
        }
    }
}
