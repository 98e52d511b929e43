/**
 * What every backend's tests share (published as banter-spi's test jar). Start from
 * {@link dev.banter.spi.testkit.BackendContractTest}: extend it, supply the backend, and the
 * contract every Banter backend owes its callers runs against it.
 */
package dev.banter.spi.testkit;
