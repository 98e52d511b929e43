/**
 * The documentation site's generator. Start from {@link dev.banter.site.SiteGenerator}, which
 * turns the Markdown pages listed in {@code nav.txt} ({@code Nav}) into HTML, with code pulled
 * from the project's compiled sources by {@code Snippets}; every problem is a
 * {@code SiteException} naming the page and line.
 */
package dev.banter.site;
