/* The MTA families, in the order they are tried: most specific first. */
#include <config.h>
#include "../internal.h"

extern const mta_family mta_sendmail, mta_postfix, mta_exim, mta_qmail, mta_courier,
    mta_exchange2003, mta_exchange2007, mta_office365, mta_gmail, mta_yahoo, mta_notes,
    mta_domino, mta_messagingserver, mta_opensmtpd, mta_amazonses, mta_googlegroups, mta_kddi,
    mta_trendmicro, mta_netscape, mta_imail, mta_communigate, mta_mdaemon, mta_hmailserver,
    mta_groupwise, mta_mercury, mta_kerio;

/* The families of issue 14 (netscape ... kerio) come before the wider
 * markers of Exchange and Domino that their texts also hold. */
const mta_family *const mta_families[] = {
    &mta_googlegroups, &mta_kddi, &mta_trendmicro, &mta_gmail, &mta_amazonses, &mta_office365,
    &mta_hmailserver, &mta_kerio, &mta_mdaemon, &mta_communigate, &mta_imail, &mta_groupwise,
    &mta_mercury, &mta_netscape, &mta_exchange2007,
    &mta_exchange2003, &mta_notes, &mta_domino, &mta_messagingserver, &mta_opensmtpd,
    &mta_courier, &mta_yahoo, &mta_qmail, &mta_exim, &mta_postfix, &mta_sendmail,
    NULL,
};
