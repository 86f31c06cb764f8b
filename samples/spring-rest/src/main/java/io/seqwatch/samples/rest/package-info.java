/**
 * A Spring Boot web service that scores a shop's REST requests with the Seqwatch starter: whole
 * sequences ({@code POST /score}) or events into the live streaming scorer ({@code POST /events}).
 */
package io.seqwatch.samples.rest;
