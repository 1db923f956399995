import type { Faq } from "./faq.ts";

/**
 * A fictional bakery, the default model's whole knowledge. The order entry is slow on purpose
 * (a lookup that outlasts Connect's 8-second limit), so a demo call exercises the hold-and-poll path.
 * Entries with generic keywords ("where", どこ) come last: ties go to the earlier entry.
 */
export const HANAMIZUKI_BAKERY_FAQ: Faq = {
  name: "hanamizuki-bakery",
  defaultLocale: "en-US",
  locales: {
    "ja-JP": {
      entries: [
        {
          id: "hours",
          keywords: [
            "営業時間",
            "何時",
            "なんじ",
            "開店",
            "閉店",
            "開いて",
            "あいて",
            "閉まり",
            "しまり",
            "オープン",
          ],
          answer:
            "営業時間は、平日が午前七時から午後七時まで、土曜日と日曜日が午前八時から午後六時までです。",
        },
        {
          id: "closed-days",
          keywords: ["定休日", "休み", "やすみ", "休業", "火曜", "祝日", "休日", "年末年始"],
          answer: "定休日は毎週火曜日です。祝日は通常どおり営業しております。",
        },
        {
          id: "parking",
          keywords: ["駐車", "車", "パーキング", "駐輪", "自転車"],
          answer:
            "お店の裏に三台分の駐車場がございます。満車の際は、近くのコインパーキングをご利用ください。",
        },
        {
          id: "orders",
          keywords: ["予約", "注文", "取り置き", "とりおき", "ケーキ", "誕生日", "受け取り"],
          answer:
            "ホールケーキやパンのご予約は、お受け取りの二日前まで承っております。お名前、お受け取りの日時、商品と個数をお知らせください。",
          latencyMs: 9_500,
        },
        {
          id: "payment",
          keywords: ["支払", "払い", "カード", "現金", "キャッシュレス", "決済", "電子マネー", "ペイ"],
          answer: "お支払いは、現金、クレジットカード、交通系ICカード、QRコード決済がご利用いただけます。",
        },
        {
          id: "allergies",
          keywords: ["アレルギー", "小麦", "卵", "乳製品", "ナッツ", "グルテン"],
          answer:
            "すべての商品に小麦、乳、卵を使っております。アレルギーについて詳しくは、店頭のスタッフにお尋ねください。",
        },
        {
          id: "access",
          keywords: ["住所", "場所", "どこ", "行き方", "アクセス", "駅", "最寄り", "道順", "電車", "バス"],
          answer: "住所は星野市楓町三丁目五番地です。楓町駅の北口から歩いて三分ほどです。",
        },
      ],
      fallback:
        "申し訳ございません、そのご質問にはお答えできません。営業時間、定休日、場所、駐車場、ご予約、お支払い、アレルギーについてお尋ねください。",
    },
    "en-US": {
      entries: [
        {
          id: "hours",
          keywords: ["hours", "open", "close", "closing", "what time"],
          answer:
            "We are open from seven in the morning to seven in the evening on weekdays, and from eight to six on weekends.",
        },
        {
          id: "closed-days",
          keywords: ["closed", "day off", "days off", "tuesday", "holiday", "vacation"],
          answer: "We are closed every Tuesday. On public holidays we are open as usual.",
        },
        {
          id: "parking",
          keywords: ["parking", "park", "car", "bicycle", "bike"],
          answer:
            "There are three parking spaces behind the shop. If they are full, please use a nearby pay car park.",
        },
        {
          id: "orders",
          keywords: ["reserve", "reservation", "order", "cake", "birthday", "pick up", "pickup", "set aside"],
          answer:
            "You can order whole cakes and bread up to two days before pickup. Please tell us your name, the pickup date and time, and what you would like.",
          latencyMs: 9_500,
        },
        {
          id: "payment",
          keywords: ["pay", "payment", "card", "cash", "credit", "contactless", "qr"],
          answer: "You can pay with cash, credit cards, transit IC cards or QR code payments.",
        },
        {
          id: "allergies",
          keywords: ["allergy", "allergies", "allergen", "gluten", "nut", "dairy", "egg", "wheat"],
          answer:
            "All our products contain wheat, milk and eggs. For details about allergies, please ask our staff in the shop.",
        },
        {
          id: "access",
          keywords: [
            "address",
            "where",
            "located",
            "location",
            "station",
            "directions",
            "get there",
            "find you",
          ],
          answer:
            "We are at 3-5 Kaede-cho, Hoshino City, a three-minute walk from the north exit of Kaede-cho Station.",
        },
      ],
      fallback:
        "I'm sorry, I can't answer that. You can ask me about our opening hours, closed days, location, parking, orders, payment or allergies.",
    },
  },
};
