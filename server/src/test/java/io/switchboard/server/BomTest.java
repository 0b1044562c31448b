/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * switchboard-bom, which is not a child of the parent pom (importing it must not bring the
 * parent's management of Netty and the rest), keeps up with the reactor: the parent's version, and
 * every library module managed, the programs (bench, examples) left out.
 */
class BomTest {

    private static final Path ROOT = Path.of("..");
    private static final List<String> NOT_LIBRARIES = List.of("bench", "examples", "bom");

    @Test
    void managesEveryLibraryModuleAtTheParentsVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("bom/pom.xml"));
        String version = child(parent.getDocumentElement(), "version");

        List<String> libraries = texts(parent.getElementsByTagName("module")).stream()
                .filter(module -> !NOT_LIBRARIES.contains(module))
                .map(module -> "switchboard-" + module)
                .toList();
        NodeList managed = bom.getElementsByTagName("dependency");
        List<Element> dependencies = IntStream.range(0, managed.getLength())
                .mapToObj(i -> (Element) managed.item(i))
                .toList();

        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(version);
        assertThat(dependencies).allSatisfy(dependency -> {
            assertThat(child(dependency, "groupId")).isEqualTo("io.switchboard");
            assertThat(child(dependency, "version")).isIn(version, "${project.version}");
        });
        assertThat(dependencies.stream().map(dependency -> child(dependency, "artifactId")))
                .containsExactlyInAnyOrderElementsOf(libraries);
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of {@code element}'s own child named {@code name} (not a grandchild's). */
    private static String child(Element element, String name) {
        for (var node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().trim();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + element.getTagName() + ">");
    }

    private static List<String> texts(NodeList nodes) {
        return IntStream.range(0, nodes.getLength())
                .mapToObj(i -> nodes.item(i).getTextContent().trim())
                .toList();
    }
}
