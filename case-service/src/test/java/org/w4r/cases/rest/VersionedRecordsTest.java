package org.w4r.cases.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which answers say they carry the ETag, and which operations can answer 412, follows from what each declares. */
class VersionedRecordsTest {
    @Test
    void anEditThatTakesIfMatchCanBeRefusedAndItsAnswerCarriesTheETag() {
        Operation edit = operation("CaseView").addParameter(ifMatch())
                .responses(responses("CaseView").addAPIResponse("409", OASFactory.createAPIResponse().description("own")));
        filter(PathItem.HttpMethod.PATCH, edit);
        assertEquals(Set.of("200", "409", "412"), edit.getResponses().getAPIResponses().keySet());
        assertEquals(VersionedRecords.EDITED_SINCE, edit.getResponses().getAPIResponse("412").getDescription());
        Header etag = edit.getResponses().getAPIResponse("200").getHeaders().get("ETag");
        assertEquals(true, etag.getRequired());
        assertEquals(VersionedRecords.ETAG_DESCRIPTION, etag.getDescription());
        assertEquals(List.of(Schema.SchemaType.STRING), etag.getSchema().getType());
        assertEquals(true, edit.getResponses().getAPIResponse("200").getHeaders().get("Content-Location").getRequired());
    }

    @Test
    void aReadOfOneVersionedRecordCarriesTheETagAndCannotBeRefused() {
        Operation read = operation("CaseView");
        filter(PathItem.HttpMethod.GET, read);
        assertEquals(Set.of("200"), read.getResponses().getAPIResponses().keySet());
        assertEquals(true, read.getResponses().getAPIResponse("200").getHeaders().get("ETag").getRequired());
    }

    @Test
    void aWriteWithoutIfMatchCannotBeRefusedAsEditedSinceButEachOfItsAnswersCarriesTheETag() {
        // placing a hold: 200 once on Kafka, 202 while on its way, both with the case
        Operation hold = operation("CaseView");
        hold.getResponses().addAPIResponse("202", OASFactory.createAPIResponse().description("on its way")
                .content(hold.getResponses().getAPIResponse("200").getContent()));
        filter(PathItem.HttpMethod.PUT, hold);
        assertEquals(Set.of("200", "202"), hold.getResponses().getAPIResponses().keySet());
        assertEquals(true, hold.getResponses().getAPIResponse("200").getHeaders().get("ETag").getRequired());
        assertEquals(true, hold.getResponses().getAPIResponse("202").getHeaders().get("ETag").getRequired());
        assertEquals(true, hold.getResponses().getAPIResponse("202").getHeaders().get("Content-Location").getRequired());
    }

    @Test
    void anErrorIsNotTagged() {
        Operation edit = operation("CaseView").addParameter(ifMatch());
        edit.getResponses().addAPIResponse("409", OASFactory.createAPIResponse().description("own")
                .content(edit.getResponses().getAPIResponse("200").getContent()));
        filter(PathItem.HttpMethod.PATCH, edit);
        assertNull(edit.getResponses().getAPIResponse("409").getHeaders());
        assertNull(edit.getResponses().getAPIResponse("412").getHeaders());
    }

    @Test
    void aListOrAnUnversionedViewHasNoETag() {
        Operation list = OASFactory.createOperation().responses(OASFactory.createAPIResponses().addAPIResponse("200",
                OASFactory.createAPIResponse().content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                                .items(OASFactory.createSchema().ref("#/components/schemas/CaseView")))))));
        filter(PathItem.HttpMethod.GET, list);
        assertNull(list.getResponses().getAPIResponse("200").getHeaders());

        Operation holds = operation("HoldView");
        filter(PathItem.HttpMethod.GET, holds);
        assertNull(holds.getResponses().getAPIResponse("200").getHeaders());
    }

    private static Operation operation(String view) {
        return OASFactory.createOperation().responses(responses(view));
    }

    private static APIResponses responses(String view) {
        return OASFactory.createAPIResponses().addAPIResponse("200", OASFactory.createAPIResponse().description("ok")
                .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/" + view)))));
    }

    private static Parameter ifMatch() {
        return OASFactory.createParameter().in(Parameter.In.HEADER).name("If-Match");
    }

    /** A document with one versioned view and one without a version, and the operation at one path. */
    private static void filter(PathItem.HttpMethod method, Operation operation) {
        Schema number = OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER));
        PathItem path = OASFactory.createPathItem();
        path.setOperation(method, operation);
        OpenAPI document = OASFactory.createOpenAPI()
                .components(OASFactory.createComponents()
                        .addSchema("CaseView", OASFactory.createSchema().addProperty("caseId", number).addProperty("version", number))
                        .addSchema("HoldView", OASFactory.createSchema().addProperty("holdId", number)))
                .paths(OASFactory.createPaths().addPathItem("/api/v1/cases/{caseId}", path));
        new VersionedRecords().filterOpenAPI(document);
    }
}
