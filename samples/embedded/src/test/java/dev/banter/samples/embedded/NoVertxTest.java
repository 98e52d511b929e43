package dev.banter.samples.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * An embedding application gets api, core and local and nothing of Vert.x (or Netty under it):
 * the test class path, a superset of the runtime one, holds no such jar and no such class.
 */
class NoVertxTest {
  private static List<String> classPath() {
    List<String> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        out.add(entry);
      }
    }
    return out;
  }

  @Test
  void vertx_classes_cannot_be_loaded() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.vertx.core.Vertx"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.netty.channel.Channel"));
  }

  @Test
  void no_class_path_entry_holds_vertx_or_netty() throws IOException {
    for (String entry : classPath()) {
      File f = new File(entry);
      if (f.isDirectory()) {
        assertFalse(new File(f, "io/vertx").exists() || new File(f, "io/netty").exists(), entry);
      } else if (entry.endsWith(".jar")) {
        try (JarFile jar = new JarFile(f)) {
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            assertFalse(name.startsWith("io/vertx/") || name.startsWith("io/netty/"), entry + " holds " + name);
          }
        }
      }
    }
  }

  @Test
  void the_embedding_has_core_and_the_local_engine() throws ClassNotFoundException {
    Class.forName("dev.banter.core.Banter");
    Class.forName("dev.banter.local.LocalBackendProvider");
    Class.forName("dev.banter.samples.demo.DemoModel");
    assertTrue(classPath().size() > 3);
  }
}
